"""Reports render their Japanese in a browser that has no Japanese font (issue 23): the glyphs a
report uses are embedded in it (simulate/report/fonts.py)."""

import re

import pytest

from browser import CHROMIUM, dump_dom, no_cjk_fonts
from conftest import SCENARIOS
from simulate.cli import main
from simulate.report.fonts import font_face_css, needed

#: For every character beyond ASCII in the page's text and its figures' text, drawn in the font its
#: element asks for, whether it comes out as the box of a missing glyph: the drawing equals that of
#: a code point no font has (U+10FFFD), or is blank.
PROBE = r"""<script>
document.fonts.ready.then(() => {
  const canvas = document.createElement('canvas'); canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (family, ch) => { ctx.clearRect(0, 0, 64, 64); ctx.font = '40px ' + family;
    ctx.fillText(ch, 8, 48); return ctx.getImageData(0, 0, 64, 64).data.join(','); };
  const pairs = new Map();
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (n.parentElement.closest('script')) continue;
    const family = getComputedStyle(n.parentElement).fontFamily;
    for (const ch of n.textContent) if (ch.codePointAt(0) > 0x7f && ch.trim()) pairs.set(family + '\u0000' + ch, [family, ch]);
  }
  const boxes = [], blank = draw('sans-serif', ' ');
  for (const [family, ch] of pairs.values()) {
    const image = draw(family, ch);
    if (image === draw(family, '\u{10FFFD}') || image === blank) boxes.push(ch);
  }
  document.body.setAttribute('data-checked', pairs.size);
  document.body.setAttribute('data-boxes', [...new Set(boxes)].join(''));
  document.body.setAttribute('data-fonts-check', document.fonts.check("16px 'IPAexGothic'", '人口'));
});
</script>"""


def probe(report, tmp_path, env, strip_font=False):
    source = report.read_text(encoding="utf-8")
    if strip_font:
        source = re.sub(r"@font-face\{[^}]*\}", "", source)
    page = tmp_path / ("bare.html" if strip_font else "page.html")
    page.write_text(source.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = dump_dom(page, tmp_path / ("profile-bare" if strip_font else "profile"), env, budget_ms=8000).stdout
    checked = int(re.search(r'data-checked="(\d+)"', dom).group(1))
    return checked, re.search(r'data-boxes="([^"]*)"', dom).group(1), re.search(r'data-fonts-check="(\w+)"', dom).group(1)


def test_subset_holds_exactly_the_page_characters():
    css = font_face_css("人口ピラミッド (2040) →")
    assert css.startswith("@font-face{font-family:'IPAexGothic'") and "base64," in css
    assert needed("abc 人口 人") == "人口" and font_face_css("plain ASCII only") == ""
    assert len(font_face_css("人口" * 50)) < len(font_face_css("人口ピラミッド" + "".join(map(chr, range(0x4E00, 0x4F00)))))


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (CI installs it)")
@pytest.mark.parametrize("command", [["run", str(SCENARIOS / "moonshot.yaml")],
                                     ["compare", "baseline", "current"]], ids=["run", "compare"])
def test_japanese_report_renders_without_a_japanese_font(tmp_path, command):
    assert main([*command, "--out", str(tmp_path / "out"), "--quiet", "--lang", "ja"]) == 0
    report = next((tmp_path / "out").rglob("report.html"))
    env = no_cjk_fonts(tmp_path / "fontconfig")
    checked, boxes, fonts_check = probe(report, tmp_path, env)
    assert checked > 100 and boxes == "" and fonts_check == "true", (checked, boxes)
    # the probe can fail: without the embedded subset the same page shows boxes
    checked_bare, boxes_bare, _ = probe(report, tmp_path, env, strip_font=True)
    assert len(boxes_bare) > 50, boxes_bare[:40]
    size = report.stat().st_size
    assert size < 3_000_000, size
