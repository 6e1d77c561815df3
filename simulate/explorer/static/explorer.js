// The explorer's page: reads the state from the address, asks the server's JSON API, draws with
// ECharts.  Every number comes from the server (simulate.api.explore); this file only shows it.
"use strict";
(function () {
  const W = JSON.parse(document.getElementById("words").textContent);
  const T = W.text, LANG = W.lang;
  const FONT = `"${W.font}", system-ui, sans-serif`;
  const NUM = new Intl.NumberFormat(LANG === "ja" ? "ja-JP" : "en-US", { maximumFractionDigits: 2 });
  const STATE_KEYS = ["s", "y", "lang", "cs", "cy"];
  const COLORS = ["#1f6feb", "#e8590c", "#2f9e44", "#9c36b5", "#495057"];
  const $ = (id) => document.getElementById(id);
  const esc = (text) => String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  // ---- state: the address is the state ----
  const state = { s: null, y: null, settings: {}, cs: "", cy: null, compare: {} };
  function readAddress() {
    const q = new URLSearchParams(location.search);
    state.s = q.get("s") || $("scenario").value;
    state.y = q.get("y");
    state.cs = q.get("cs") || "";
    state.cy = q.get("cy");
    for (const [k, v] of q.entries()) {
      if (k.startsWith("c.")) state.compare[k.slice(2)] = v;
      else if (!STATE_KEYS.includes(k)) state.settings[k] = v;
    }
  }
  function query(extra) {
    const q = new URLSearchParams();
    q.set("s", state.s);
    if (state.y) q.set("y", state.y);
    q.set("lang", LANG);
    for (const [k, v] of Object.entries(state.settings)) q.set(k, v);
    if (state.cs) {
      q.set("cs", state.cs);
      if (state.cy) q.set("cy", state.cy);
      for (const [k, v] of Object.entries(state.compare)) q.set("c." + k, v);
    }
    for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
    return q.toString();
  }
  function ownQuery() { // without the comparison: what downloads and odds need
    const saved = state.cs; state.cs = "";
    const text = query(); state.cs = saved; return text;
  }

  // ---- charts ----
  const charts = {};
  function chart(id) {
    if (!charts[id]) charts[id] = echarts.init($(id), null, { renderer: "canvas" });
    return charts[id];
  }
  const axisText = { fontFamily: FONT, color: "#52606d" };
  function timeOption(view, names, extra) {
    const years = view.years, first = years[0], last = years[years.length - 1];
    const series = names.map((name, i) => ({
      name: view.series[name].label, type: "line", showSymbol: false, lineStyle: { width: 2 }, color: COLORS[i],
      data: years.map((y, j) => [y, view.series[name].values[j]]),
      markLine: i ? undefined : { silent: true, symbol: "none", lineStyle: { color: "#868e96", type: "dashed" },
        label: { formatter: `${T.observed} | ${T.assumed}`, fontFamily: FONT, color: "#52606d" },
        data: [{ xAxis: view.observed_until }] },
      markArea: i ? undefined : { silent: true, itemStyle: { color: "rgba(31,111,235,0.07)" },
        label: { formatter: T.band, fontFamily: FONT, color: "#52606d", position: "insideTop" },
        data: [[{ xAxis: view.band[0] }, { xAxis: view.band[1] }]] },
    }));
    if (view.compare) {
      names.forEach((name, i) => series.push({
        name: `${view.series[name].label} (${compareLabel()})`, type: "line", showSymbol: false, color: COLORS[i],
        lineStyle: { width: 1.5, type: "dashed" },
        data: view.compare.years.map((y, j) => [y, view.compare.series[name].values[j]]) }));
    }
    for (const add of (extra || [])) series.push(add);
    return {
      animation: false, textStyle: { fontFamily: FONT },
      grid: { left: 52, right: 14, top: 36, bottom: 56 },
      legend: { bottom: 0, textStyle: axisText, type: "scroll" },
      tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "" : NUM.format(v)), textStyle: { fontFamily: FONT } },
      xAxis: { type: "value", min: first, max: last, axisLabel: { ...axisText, formatter: (v) => String(v) } },
      yAxis: { type: "value", scale: true, name: view.series[names[0]].unit, nameTextStyle: axisText,
               axisLabel: { ...axisText, formatter: (v) => NUM.format(v) } },
      series,
    };
  }
  function compareLabel() { return state.cs === state.s && Object.keys(state.compare).length ? T.compare_pinned : state.cs; }

  function drawPopulation(view) {
    const refs = view.reference.map((r) => [r.year, r.value, r.label]);
    chart("chart-population").setOption(timeOption(view, ["population_total", "population_0_14", "population_15_64", "population_65_plus"], [{
      name: T.reference, type: "scatter", symbol: "diamond", symbolSize: 10, color: "#111",
      data: refs, tooltip: { formatter: (p) => `${esc(p.data[2])}: ${NUM.format(p.data[1])}` } }]), true);
  }
  let pyramidYear = null, playing = null;
  function drawPyramid(view) {
    const slider = $("pyramid-year"), years = view.years;
    slider.min = years[0]; slider.max = years[years.length - 1];
    if (pyramidYear === null || pyramidYear < years[0] || pyramidYear > years[years.length - 1]) pyramidYear = view.year;
    slider.value = pyramidYear; $("pyramid-year-shown").textContent = pyramidYear;
    const ages = [...Array(101).keys()].map((a) => (a === 100 ? "100+" : String(a)));
    const male = view.pyramid.male[pyramidYear].map((v) => -v / 1000), female = view.pyramid.female[pyramidYear].map((v) => v / 1000);
    const series = [
      { name: T.male, type: "bar", stack: "p", barCategoryGap: 0, color: "#4c6ef5", data: male },
      { name: T.female, type: "bar", stack: "p", barCategoryGap: 0, color: "#f06595", data: female }];
    if (view.compare && view.compare.pyramid && view.compare.pyramid.male[pyramidYear]) {
      series.push({ name: `${T.male} (${compareLabel()})`, type: "line", step: "middle", showSymbol: false, color: "#212529",
        lineStyle: { width: 1 }, data: view.compare.pyramid.male[pyramidYear].map((v) => -v / 1000) });
      series.push({ name: `${T.female} (${compareLabel()})`, type: "line", step: "middle", showSymbol: false, color: "#212529",
        lineStyle: { width: 1 }, data: view.compare.pyramid.female[pyramidYear].map((v) => v / 1000) });
    }
    chart("chart-pyramid").setOption({
      animation: false, textStyle: { fontFamily: FONT },
      grid: { left: 40, right: 14, top: 52, bottom: 44 },
      legend: { top: 0, textStyle: axisText, type: "scroll" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => NUM.format(Math.abs(v)) },
      xAxis: { type: "value", name: T.thousand_persons, nameLocation: "middle", nameGap: 22, nameTextStyle: axisText,
               axisLabel: { ...axisText, formatter: (v) => NUM.format(Math.abs(v)) } },
      yAxis: { type: "category", data: ages, name: T.age, nameTextStyle: axisText, axisLabel: { ...axisText, interval: 9 } },
      series,
    }, true);
  }
  function drawTimeCharts(view) {
    drawPopulation(view);
    chart("chart-labour").setOption(timeOption(view, ["labour_force", "employed"]), true);
    chart("chart-economy").setOption(timeOption(view, ["gdp_index", "gdp_per_capita_index"]), true);
    chart("chart-support").setOption(timeOption(view, ["workers_per_elderly"]), true);
    chart("chart-care").setOption(timeOption(view, ["care_recipients", "care_workers_needed"]), true);
    chart("chart-benefits").setOption(timeOption(view, ["social_security_benefits_gdp", "medical_spending_gdp",
                                                        "ltc_spending_gdp", "pension_spending_gdp"]), true);
    drawPyramid(view);
  }

  // ---- numbers, dials, targets ----
  function drawHeadlines(view) {
    const years = [...new Set(view.headlines.map((h) => h.year))];
    const rows = {};
    for (const h of view.headlines) (rows[h.indicator] = rows[h.indicator] || { label: h.label, cells: {} }).cells[h.year] = h;
    const was = {};
    if (view.compare) for (const h of view.compare.headlines) was[h.indicator + "@" + h.year] = h.text;
    $("headlines").style.setProperty("--years", String(years.length));
    let html = view.compare ? `<caption class="note">${esc(T.under_each.replace("{other}", compareLabel()))}</caption>` : "";
    html += `<tr><th></th>${years.map((y) => `<th>${y}</th>`).join("")}</tr>`;
    for (const [name, row] of Object.entries(rows)) {
      html += `<tr><td>${esc(row.label)}</td>` + years.map((y) => {
        const h = row.cells[y];
        if (!h) return "<td></td>";
        const other = was[name + "@" + y];
        return `<td><span data-indicator="${esc(name)}" data-year="${y}" data-value="${h.value}">${esc(h.text)}</span>` +
          (other !== undefined ? `<br><span class="was">${esc(other)}</span>` : "") + "</td>";
      }).join("") + "</tr>";
    }
    $("headlines").innerHTML = html;
    $("notices").innerHTML = view.notices.map((n) => `<li>${esc(n)}</li>`).join("");
    $("scenario-title").textContent = view.title;
    $("targets").innerHTML = view.targets.length
      ? view.targets.map((g) => `<li class="${g.met ? "met" : "not-met"}">${g.met ? "✓" : "✗"} ${esc(g.text)} (${g.met ? T.met : T.not_met})</li>`).join("")
      : `<li class="note">${esc(T.no_targets)}</li>`;
  }
  function fillYears(view) {
    const select = $("year");
    if (select.options.length === 0 || select.dataset.scenario !== view.scenario) {
      select.innerHTML = "";
      select.add(new Option(T.at_once.replace("{year}", String(view.observed_until + 1)), ""));
      for (let y = view.observed_until + 1; y <= view.horizon; y++) select.add(new Option(String(y), String(y)));
      select.dataset.scenario = view.scenario;
    }
    select.value = view.at_once ? "" : String(view.year);
  }
  function showDials(view) {
    for (const dial of W.dials) {
      const box = document.querySelector(`[data-dial="${dial.key}"]`);
      const stands = view.dials[dial.key];
      box.hidden = !stands;
      if (!stands) continue;
      const slider = box.querySelector("[data-lever]"), typed = box.querySelector("[data-lever-typed]");
      box.classList.toggle("moved", dial.key in state.settings);
      if (!(dial.key in state.settings)) slider.value = stands.value;
      if (document.activeElement !== typed) typed.value = dial.key in state.settings ? state.settings[dial.key] : String(stands.value);
    }
  }
  function showError(key, message) {
    document.querySelectorAll("[data-error-for]").forEach((o) => { o.textContent = ""; });
    if (message === undefined) return;
    const target = document.querySelector(`[data-error-for="${key || ""}"]`) || document.querySelector('[data-error-for=""]');
    target.textContent = message;
  }

  // ---- talking to the server: the newest request wins ----
  function newestWins() { // a fetcher whose answer is dropped when a newer request has started
    let current = null;
    return async (address) => {
      if (current) current.abort();
      const controller = new AbortController();
      current = controller;
      let response;
      try {
        response = await fetch(address, { signal: controller.signal });
      } catch (e) { return null; }
      const body = await response.json();
      if (controller !== current) return null;
      current = null;
      return { ok: response.ok, body };
    };
  }
  const fetchView = newestWins(), fetchAnswer = newestWins();
  let drawn = 0, lastView = null;
  window.explorerTimings = [];
  async function update(started) {
    started = started || performance.now();
    history.replaceState(null, "", "?" + query());
    refreshLinks();
    const got = await fetchView("/api/view?" + query());
    if (!got) return;
    const body = got.body;
    if (!got.ok) { showError(body.key, body.error); document.body.dataset.error = "1"; return; }
    document.body.dataset.error = "0";
    showError();
    lastView = body;
    fillYears(body); showDials(body); drawHeadlines(body); drawTimeCharts(body);
    markOddsStale();
    solve();
    requestAnimationFrame(() => {
      drawn += 1;
      window.explorerTimings.push(performance.now() - started);
      document.body.dataset.ready = String(drawn);
    });
  }
  function refreshLinks() {
    $("download-yaml").href = "/download/scenario.yaml?" + ownQuery();
    $("download-report").href = "/download/report.html?" + ownQuery();
    $("language").href = "/?" + query({ lang: $("language").dataset.lang });
  }

  // ---- levers ----
  function leverMoved(key, value, started) {
    state.settings[key] = value;
    update(started);
  }
  document.querySelectorAll("[data-lever]").forEach((slider) => {
    slider.addEventListener("input", (event) => {
      const key = slider.dataset.lever, dial = W.dials.find((d) => d.key === key), v = Number(slider.value);
      // a small value the scenario language would read as a unit slip is sent with its unit, as a file writes it
      const sent = dial.explicit && v !== 0 && Math.abs(v) < dial.explicit[0] ? `${slider.value} ${dial.explicit[1]}` : slider.value;
      document.querySelector(`[data-lever-typed="${key}"]`).value = sent;
      leverMoved(key, sent, event.timeStamp || performance.now());
    });
  });
  document.querySelectorAll("[data-lever-typed]").forEach((typed) => {
    const commit = () => {
      const key = typed.dataset.leverTyped;
      if (typed.value.trim() === "") { delete state.settings[key]; update(); return; }
      if (state.settings[key] === typed.value) return;
      leverMoved(key, typed.value);
    };
    typed.addEventListener("change", commit);
    typed.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); commit(); } });
  });
  $("year").addEventListener("change", () => { state.y = $("year").value; update(); });
  $("scenario").addEventListener("change", () => { state.s = $("scenario").value; state.y = null; state.settings = {}; update(); });
  $("reset").addEventListener("click", () => { state.settings = {}; update(); });
  $("pin").addEventListener("click", () => {
    state.compare = { ...state.settings }; state.cs = state.s; state.cy = state.y;
    const option = $("compare").querySelector('option[value="pinned"]'); option.disabled = false;
    $("compare").value = "pinned"; update();
  });
  $("compare").addEventListener("change", () => {
    const value = $("compare").value;
    if (value !== "pinned") { state.cs = value; state.compare = {}; state.cy = null; }
    update();
  });
  $("pyramid-year").addEventListener("input", () => { pyramidYear = Number($("pyramid-year").value); if (lastView) drawPyramid(lastView); });
  $("play").addEventListener("click", () => {
    if (playing) { clearInterval(playing); playing = null; $("play").textContent = T.play; return; }
    $("play").textContent = T.pause;
    playing = setInterval(() => {
      if (!lastView) return;
      const years = lastView.years;
      pyramidYear = pyramidYear >= years[years.length - 1] ? years[0] : pyramidYear + 1;
      drawPyramid(lastView);
    }, 200);
  });

  // ---- what would it take: asked once, answered again after every redraw ----
  let takeQuestion = null;
  async function solve() {
    if (!takeQuestion) return;
    const answer = $("take-answer");
    answer.textContent = "…";
    const got = await fetchAnswer("/api/backcast?" + query(takeQuestion));
    if (got) answer.textContent = got.ok ? `${T.take_needs}: ${got.body.text}` : got.body.error;
  }
  $("take").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("take-indicator").value, divisor = lastView && lastView.series[name] ? lastView.series[name].divisor : 1;
    const typed = Number(String($("take-value").value).replace(/,/g, ""));
    if (!Number.isFinite(typed) || String($("take-value").value).trim() === "") {
      $("take-answer").textContent = T.take_at_least + ": ?"; return;
    }
    takeQuestion = { lever: $("take-lever").value, target: `${name}@${$("take-year").value}>=${typed * divisor}` };
    solve();
  });
  function showTakeUnit() {
    const name = $("take-indicator").value;
    $("take-unit").textContent = lastView && lastView.series[name] ? lastView.series[name].unit : "";
  }
  $("take-indicator").addEventListener("change", showTakeUnit);

  // ---- odds, in the background: once asked for, they follow the settings ----
  let oddsFor = null, oddsRunning = false, oddsAuto = false, oddsTimer = null;
  function markOddsStale() {
    const stale = oddsFor !== null && oddsFor !== ownQuery();
    document.querySelectorAll(".odds-charts .chart").forEach((c) => c.classList.toggle("stale", stale));
    if (stale && !oddsRunning) $("odds-state").textContent = T.odds_stale;
    showTakeUnit();
    if (oddsAuto && stale) {
      clearTimeout(oddsTimer);
      oddsTimer = setTimeout(() => { if (oddsFor !== ownQuery()) startOdds(); }, 1000);
    }
  }
  async function startOdds() {
    if (oddsRunning) return;
    oddsRunning = true;
    const asked = ownQuery();
    const progress = $("odds-progress"), shown = $("odds-state");
    const done = (text) => {
      progress.hidden = true; shown.textContent = text; oddsRunning = false;
      if (oddsAuto && ownQuery() !== asked) markOddsStale();
    };
    progress.hidden = false; progress.removeAttribute("value"); shown.textContent = T.odds_queued;
    const response = await fetch("/api/odds?" + asked);
    const body = await response.json();
    if (!response.ok) { done(body.error); return; }
    const poll = async () => {
      const r = await fetch("/api/odds/" + body.job + "?lang=" + LANG);
      const job = await r.json();
      if (!r.ok) { done(job.error); return; }
      if (job.total) { progress.max = job.total; progress.value = job.done; shown.textContent = T.odds_progress.replace("{done}", job.done).replace("{total}", job.total); }
      if (!job.finished) { setTimeout(poll, 250); return; }
      if (job.error) { done(job.error); return; }
      oddsFor = asked; drawOdds(job.result);
      document.body.dataset.odds = String(Number(document.body.dataset.odds || 0) + 1);
      document.body.dataset.oddsCentre = job.result.centre;
      done(job.result.centre_words);
      markOddsStale();
    };
    poll();
  }
  $("odds-start").addEventListener("click", () => { oddsAuto = true; startOdds(); });
  function drawOdds(result) {
    for (const [name, b] of Object.entries(result.bands)) {
      const low95 = b.years.map((y, i) => [y, b.p2_5[i]]), low80 = b.years.map((y, i) => [y, b.p10[i]]);
      const series = [
        { name: T.band95, type: "line", stack: "o95", showSymbol: false, lineStyle: { opacity: 0 }, data: low95, color: "#a5d8ff" },
        { name: T.band95, type: "line", stack: "o95", showSymbol: false, lineStyle: { opacity: 0 }, areaStyle: { color: "rgba(165,216,255,0.6)" },
          data: b.years.map((y, i) => [y, b.p97_5[i] - b.p2_5[i]]), color: "#a5d8ff", tooltip: { show: false } },
        { name: T.band80, type: "line", stack: "o80", showSymbol: false, lineStyle: { opacity: 0 }, data: low80, color: "#4dabf7" },
        { name: T.band80, type: "line", stack: "o80", showSymbol: false, lineStyle: { opacity: 0 }, areaStyle: { color: "rgba(77,171,247,0.6)" },
          data: b.years.map((y, i) => [y, b.p90[i] - b.p10[i]]), color: "#4dabf7", tooltip: { show: false } },
        { name: T.median, type: "line", showSymbol: false, color: "#1864ab", data: b.years.map((y, i) => [y, b.p50[i]]) },
      ];
      if (lastView && lastView.series[name]) {
        series.push({ name: T.this_state, type: "line", showSymbol: false, color: "#e8590c", lineStyle: { type: "dashed" },
          data: lastView.years.map((y, j) => [y, lastView.series[name].values[j]]) });
      }
      chart("chart-odds-" + name).setOption({
        animation: false, textStyle: { fontFamily: FONT },
        title: { text: `${b.label} (${b.unit})`, textStyle: { fontFamily: FONT, fontSize: 13 } },
        grid: { left: 52, right: 12, top: 36, bottom: 76 },
        legend: { bottom: 0, textStyle: axisText, data: [T.band95, T.band80, T.median, T.this_state] },
        xAxis: { type: "value", min: b.years[0], max: b.years[b.years.length - 1], axisLabel: { ...axisText, formatter: (v) => String(v) } },
        yAxis: { type: "value", scale: true, axisLabel: { ...axisText, formatter: (v) => NUM.format(v) } },
        series,
      }, true);
    }
  }

  // ---- start ----
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  readAddress();
  $("scenario").value = state.s;
  if (state.cs) {
    const pinned = Object.keys(state.compare).length > 0;
    if (pinned) $("compare").querySelector('option[value="pinned"]').disabled = false;
    $("compare").value = pinned ? "pinned" : state.cs;
  }
  document.fonts.load(`16px "${W.font}"`, "日本").finally(() => update());
})();
