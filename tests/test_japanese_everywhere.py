"""Japanese all the way: every command run with ``--lang ja`` — its terminal output, its errors,
its ``--help``, and every report, figure, index and text file it writes — says nothing in English
sentences.

English that stays, by design: identifiers and what a person types (scenario names, setting keys,
options, file names, quoted values), the settings table of a report (the scenario language as
written, marked ``translate=no``), the proper names of two databases, and a library's own words,
which are quoted as such ("YAMLの読み込み処理のメッセージ：…").  A run of three or more English words
anywhere else is a message the catalogue does not cover; the test names it and where it was.
"""

import html
import re
from pathlib import Path

import pytest

from simulate.cli import main

BAD = Path(__file__).parent / "bad_scenarios"
#: Proper names kept in their own language, and the program's own name (how it was called).
PROPER_NAMES = ("Human Fertility Database", "Human Mortality Database", "UC Berkeley", "python -m simulate",
                "python run.py")
#: A library's own words, quoted by our message (the part inside is not ours to translate).
LIBRARY = re.compile(r"（(YAMLの読み込み処理|システム)のメッセージ：.*?）")
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
#: What a person types or reads as a name: paths, keys, options, metrics, capitalised placeholders.
TOKEN = re.compile(r"\S*[/_@=.<>\\\[\]{}]\S*|(?<!\w)--?[a-z][a-z-]*|\b[A-Z][A-Z0-9-]+\b")
ENGLISH = re.compile(r"(?<![\w-])[A-Za-z]{2,}(?:'[a-z]+)?(?:[ ,;:]+[A-Za-z]{2,}(?:'[a-z]+)?){2,}")


def english_runs(text: str) -> list[str]:
    """Each run of three or more English words in ``text`` outside what may stay English."""
    found = []
    for line in text.splitlines():
        bare = line
        for name in PROPER_NAMES:
            bare = bare.replace(name, " ")
        bare = TOKEN.sub(" ", QUOTED.sub(" ", LIBRARY.sub(" ", bare)))
        found += [f"{m.group(0)!r} in {line.strip()[:140]!r}" for m in ENGLISH.finditer(bare)]
    return found


def page_text(markup: str) -> str:
    """What a person reads on an HTML page or in an SVG figure: no scripts, styles, fonts, or
    elements marked ``translate=no``."""
    markup = re.sub(r"(?s)<(script|style|defs)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?s)<(tbody|td|table|p|span|code) translate=no>.*?</\1>", " ", markup)
    return html.unescape(re.sub(r"(?s)<[^>]+>", "\n", markup))


def test_the_detector_finds_english_and_spares_what_may_stay():
    assert english_runs("労働力人口は the scenario's own value です")
    assert english_runs("2040年：total population is 1億1,161万人")
    assert not english_runs("fertility.tfr: 有限の数にしてください（入力値：'abc def ghi'）")
    assert not english_runs("python run.py run NAME --set migration.net=300000 COMMAND ...")
    assert not english_runs("Human Fertility Database（MPIDR、VID）")
    assert not english_runs("YAMLとして正しくありません（YAMLの読み込み処理のメッセージ：did not find expected key）")
    assert not english_runs(page_text("<table><tbody translate=no><tr><td>distribution: normal, mean: 1</td></tr>"
                                      "</tbody></table>"))


def _run(capsys, *argv: str, code: int = 0) -> str:
    assert main(["--lang", "ja", *argv]) == code, capsys.readouterr()
    out = capsys.readouterr()
    return out.out + out.err


def _help(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as stop:
        main(["--lang", "ja", *argv, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


def written_text(out: Path) -> dict[str, str]:
    """Every file a person reads under ``out``: reports, the index, figures, text and people's CSV headers."""
    found = {}
    for path in sorted(out.rglob("*")):
        if path.suffix in (".html", ".svg"):
            found[str(path)] = page_text(path.read_text(encoding="utf-8"))
        elif path.suffix == ".txt":
            found[str(path)] = path.read_text(encoding="utf-8")
        elif path.name in ("headline.csv", "outcomes.csv"):
            found[str(path)] = path.read_text(encoding="utf-8-sig").splitlines()[0]
    return found


@pytest.mark.slow
def test_every_command_says_it_in_japanese(tmp_path, capsys):
    out = tmp_path / "results"
    said = {"--help": _help(capsys)}
    for command in ("run", "compare", "backcast", "reproduce", "validate", "schema", "ensemble", "sensitivity",
                    "sweep", "list", "init", "forecast", "backtest", "explore"):
        said[f"{command} --help"] = _help(capsys, command)
    said["list"] = _run(capsys, "list")
    said["validate"] = _run(capsys, "validate", "current", "baseline")
    said["validate bad"] = "\n".join(_run(capsys, "validate", str(path), code=2) for path in sorted(BAD.glob("*.yaml")))
    said["argparse"] = _run_error(capsys, ["backcast", "current", "--lever", "nope"]) + _run_error(capsys, ["sweep"])
    said["run"] = _run(capsys, "run", "current", "--out", str(out))
    said["compare"] = _run(capsys, "compare", "current", "current+migration.net=300000", "--out", str(out),
                           "--formats", "svg")
    said["backcast"] = _run(capsys, "backcast", "current", "--target", "labour_force@2040>=65e6", "--lever",
                            "seniors_uplift", "--out", str(out))
    said["reproduce"] = _run(capsys, "reproduce", "--out", str(out))
    said["ensemble"] = _run(capsys, "ensemble", "moonshot", "--n", "64", "--out", str(out))
    said["sensitivity"] = _run(capsys, "sensitivity", "current", "--method", "morris", "--n", "4", "--out", str(out))
    said["sweep"] = _run(capsys, "sweep", "current", "--grid", "seniors_uplift=0,10", "--grid",
                         "productivity_growth=1,2", "--out", str(out))
    said["init"] = _run(capsys, "init", str(tmp_path / "mine"))
    said["forecast"] = _run(capsys, "forecast", "current", "--n", "64", "--out", str(out))
    said["forecast past"] = _run(capsys, "forecast", "current", "--n", "64", "--origin", "2000", "--out", str(out))
    said["backtest"] = _run(capsys, "backtest", "--origins", "1990,2005", "--n", "64", "--out", str(out))
    said["backcast odds"] = _run(capsys, "backcast", "current", "--target", "gdp@2040>=1x2024", "--lever",
                                 "productivity_growth", "--odds", "0.8", "--n", "64", "--out", str(out))
    said["frontier"] = _run(capsys, "backcast", "current", "--target", "gdp@2040>=1x2024", "--lever", "seniors_uplift",
                            "--lever", "productivity_growth", "--out", str(out))
    said["errors"] = "\n".join([  # the library's refusals, said by the command line
        _run(capsys, "init", str(tmp_path / "mine"), code=2),
        _run(capsys, "run", "nonexistent", code=2),
        _run(capsys, "reproduce", "--scenario", "current", code=2),
        _run(capsys, "sensitivity", "current", "--n", "100", code=2),
        _run(capsys, "ensemble", "current", "--n", "10", "--max-memory-gb", "0.000001", code=2),
        _run(capsys, "sweep", "current", "--grid", "nothing=1,2", code=2),
        _run(capsys, "backcast", "current", "--target", "labour_force@2040>=80e6", "--lever", "tfr", "--out",
             str(out), code=1),
        _run(capsys, "forecast", "current", "--origin", "2022", code=2),
        _run(capsys, "backtest", "--origins", "1950:1970", code=2),
        _run(capsys, "backcast", "current", "--target", "gdp@2040>=1x2024", "--lever", "tfr", "--odds", "0.8",
             "--n", "40", code=1),
        _run(capsys, "forecast", "current", "--centre", "history", "--set", "fertility.tfr=1.8", code=2),
        _run(capsys, "backtest", "--universe", "residents", "--origins", "2000", code=2),
        _run(capsys, "explore", "nonexistent", "--no-browser", code=2),
        _run(capsys, "explore", "current", "--port", "70000", "--no-browser", code=2)])
    assert said["errors"].count("\n") >= 6 and "e-0" not in said["errors"]
    said |= written_text(out)
    assert len([k for k in said if k.endswith("report.html")]) >= 8 and any(k.endswith(".svg") for k in said)
    problems = [f"{where}: {run}" for where, text in said.items() for run in english_runs(text)]
    assert not problems, "\n".join(problems[:40])


def _run_error(capsys, argv: list[str]) -> str:
    with pytest.raises(SystemExit) as stop:
        main(["--lang", "ja", *argv])
    assert stop.value.code == 2
    return capsys.readouterr().err
