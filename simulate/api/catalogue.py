"""What a person needs around the runs: checking scenario files, the scenario language's JSON
Schema, the catalogue of shipped scenarios, levers and indicators, and a starter scenario."""

from __future__ import annotations

import json
from pathlib import Path

from simulate.api.scenarios import load_with
from simulate.errors import InputError
from simulate.indicators import REGISTRY
from simulate.names import name_problem
from simulate.scenario import Scenario, load_scenario
from simulate.scenario.levers import LEVERS
from simulate.scenario.schema import in_language, tightened
from simulate.scenario.shipped import SHIPPED, shipped_names
from simulate.text.messages import t

#: The starter scenario ``init`` writes: every common setting, commented, extending ``current``
#: (the planner's today: the 2020 census, observed through 2024, IPSS 2023's medium after).
STARTER = """\
# yaml-language-server: $schema=scenario.schema.json
# A scenario of the Quiet Crisis Simulator.  Run it with
#   {prog} run {name}.yaml
# Every setting not written here comes from the parent ('extends').  Paths are a number
# (constant) or {{year: value}} keyframes; in a child scenario also '+0.2', '-0.1' or 'x1.1'
# relative to the parent.  Years up to the last observed year (2024) come from data, not from
# here: TFR and life-expectancy keyframes after it ramp from what was observed in 2024.
name: {name}
title: My scenario (edit me)
extends: current             # a shipped scenario ({prog} list) or a file beside this one
description: What this scenario assumes and why.

fertility:
  tfr: {{2030: 1.4, 2040: 1.5}}     # children per woman, from 2024's observed 1.15
mortality:
  e0:
    female: '+0.5'                # years, added to the parent's path
migration:
  net: 250000                     # persons a year from 2025 (write '200 persons' for a deliberately small number)
labour:
  seniors: {{rate: 50, by: 2040}}   # % of ages 65-74 in the labour force
economy:
  productivity_growth: 1.2        # % a year (write '0.02 %' for a deliberately small number)
targets:
  - labour_force@2040>=65e6
  - gdp_per_capita@2040>=1.1xbase
"""



#: The same starter with its comments in Japanese (``init --lang ja``).
STARTER_JA = """\
# yaml-language-server: $schema=scenario.schema.ja.json
# 「静かなる有事」シミュレーターのシナリオです。実行するには
#   {prog} run {name}.yaml
# ここに書かない設定は親シナリオ（extends）から受け継ぎます。経路は数値（一定）か
# {{年: 値}} のキーフレーム。子シナリオでは親の経路に対する '+0.2'、'-0.1'、'x1.1' も使えます。
# 最終実績年（2024年）までは実績データで、ここでは変わりません。それより後の合計特殊出生率と
# 平均寿命のキーフレームは、2024年の実績値から直線的につながります。
name: {name}
title:
  en: My scenario (edit me)
  ja: 私のシナリオ（編集してください）
extends: current             # 同梱のシナリオ（{prog} list）か、このファイルと同じフォルダのファイル
description:
  en: What this scenario assumes and why.
  ja: このシナリオが何を仮定し、なぜそうするのか。

fertility:
  tfr: {{2030: 1.4, 2040: 1.5}}     # 合計特殊出生率（女性1人当たりの子ども数）、2024年の実績1.15から
mortality:
  e0:
    female: '+0.5'                # 年、親の経路に加える
migration:
  net: 250000                     # 人/年、2025年から（意図して小さな数にするときは '200人'）
labour:
  seniors: {{rate: 50, by: 2040}}   # 65～74歳の労働力率（%）
economy:
  productivity_growth: 1.2        # 年%（意図して小さな値にするときは '0.02 %'）
care:
  productivity_growth: 0.5        # 介護の生産性の伸び率、年%（介護職員1人当たりの利用者数）
targets:
  - labour_force@2040>=65e6
  - gdp_per_capita@2040>=1.1xbase
"""
#: The starter by language.
STARTERS = {"en": STARTER, "ja": STARTER_JA}


def validate(files: list[str | Path]) -> list[dict]:
    """One record per file (or shipped name): ``ok``, and either the scenario's name, title, jump-off, history end,
    base year and whether its past is counterfactual, or its ``problems`` (located lines)."""
    records = []
    for name in files:
        try:
            s = load_with(name, None).scenario  # a file, a shipped name or a what-if (NAME+KEY=VALUE)
            records.append({"file": str(name), "ok": True, "name": s.name, "title": s.label, "jump_off": s.jump_off,
                            "observed_until": s.history_end, "counterfactual_past": s.counterfactual_past,
                            "base_year": s.base_year, "problems": []})
        except InputError as error:
            records.append({"file": str(name), "ok": False, "problems": error.problems})
    return records


#: The schema's identifier (a URN: the project has no web address of its own).
SCHEMA_ID = "urn:quiet-crisis:scenario-schema:1"


#: The schema file of each language (``init`` writes the one of its ``--lang``; the starter names it).
SCHEMA_FILES = {"en": "scenario.schema.json", "ja": "scenario.schema.ja.json"}


def schema_text(lang: str = "en") -> str:
    """The JSON Schema of the scenario language, as shipped in ``scenarios/scenario.schema.json``;
    in Japanese (``scenario.schema.ja.json``) its descriptions, which editors show, are Japanese."""
    schema = in_language(tightened(Scenario.model_json_schema()), lang)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "Quiet Crisis Simulator scenario"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def catalogue(lang: str) -> dict:
    """What ``list`` shows: shipped scenarios (name, title), levers (name, unit, range, meaning) and
    indicators (name, unit, label)."""
    return {
        "scenarios": [{"name": name, "title": load_scenario(SHIPPED / f"{name}.yaml").scenario.label_in(lang)}
                      for name in shipped_names()],
        "levers": [{"name": lever.name, "unit": t(lever.unit, lang), "range": list(lever.default_range),
                    "meaning": t(lever.description, lang)} for lever in LEVERS.values()],
        "indicators": [{"name": name, "unit": indicator.unit_in(lang), "label": indicator.label(lang)}
                       for name, indicator in REGISTRY.items()],
    }


def init(folder: str | Path, name: str = "my_scenario", prog: str = "quiet-crisis",
         lang: str = "en") -> tuple[Path, Path | None]:
    """Write ``folder/<name>.yaml`` (a commented starter, its comments in ``lang``) and, if missing,
    ``scenario.schema.json``;
    never overwrite, never write through a link; its comments name the command as ``prog`` calls it.
    Returns the files written (schema None if kept)."""
    if name_problem(name):
        raise InputError(f"name: {name_problem(name)}")
    folder = Path(folder)
    scenario, schema = folder / f"{name}.yaml", folder / SCHEMA_FILES.get(lang, SCHEMA_FILES["en"])
    if scenario.exists() or scenario.is_symlink():  # a dangling link too: writing would follow it
        raise InputError(t("{file} exists: init never overwrites a file; choose another name or folder", file=scenario))
    if folder.exists() and not folder.is_dir():
        raise InputError(t("{folder} is a file, not a folder", folder=folder))
    folder.mkdir(parents=True, exist_ok=True)
    with open(scenario, "x", encoding="utf-8") as file:  # exclusive: never through a link made meanwhile
        file.write(STARTERS.get(lang, STARTER).format(name=name, prog=prog))
    if schema.exists() or schema.is_symlink():
        return scenario, None
    with open(schema, "x", encoding="utf-8") as file:
        file.write(schema_text(lang))
    return scenario, schema


__all__ = ["SCHEMA_FILES", "SCHEMA_ID", "STARTER", "STARTERS", "catalogue", "init", "schema_text", "validate"]
