"""The message catalogue (simulate/text/messages.py, made and checked with Babel by
scripts/messages.py): every marked message has its Japanese, the compiled .mo is current, and
the command line's status lines come from it."""

import subprocess
import sys

import pytest

from conftest import ROOT
from simulate.cli import main
from simulate.text.messages import t

sys.path.insert(0, str(ROOT / "scripts"))
import messages  # noqa: E402  (scripts/messages.py)


def test_every_message_of_the_code_has_its_japanese_and_the_mo_is_compiled():
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "messages.py"), "--check"], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout


def test_the_check_names_a_message_without_japanese(monkeypatch):
    extracted = messages.extracted

    def with_a_new_one():
        catalog = extracted()
        catalog.add("a message nobody translated", locations=[("simulate/x.py", 1)])
        return catalog
    monkeypatch.setattr(messages, "extracted", with_a_new_one)
    assert messages.problems() == ["no Japanese for 'a message nobody translated'"]


def test_the_check_names_a_stale_mo(monkeypatch, tmp_path):
    stale = tmp_path / "quiet-crisis.mo"
    catalog = messages.read()
    next(m for m in catalog if m.id == "Results").string = "結果"
    stale.write_bytes(messages.compiled(catalog))
    monkeypatch.setattr(messages, "MO", stale)
    assert [p for p in messages.problems() if "is not the compiled .po" in p]


def test_a_message_is_looked_up_then_filled():
    assert t("written to {folder}/", "en", folder="results") == "written to results/"
    assert t("written to {folder}/", "ja", folder="results") == "results/ に出力しました"
    assert t("Results", "ja") == "結果の一覧" and t("not in the catalogue", "ja") == "not in the catalogue"


@pytest.mark.parametrize("lang, line", [("en", "1 scenario(s) written to"), ("ja", "1件のシナリオを")])
def test_status_lines_are_in_the_language_of_the_run(tmp_path, capsys, lang, line):
    assert main(["run", "baseline", "--out", str(tmp_path), "--no-figures", "--lang", lang]) == 0
    written, hint = capsys.readouterr().out.strip().splitlines()[-2:]
    assert written.startswith(line) and ("written" in written) == (lang == "en")
    assert hint == t("Open {index} in a browser to see every result.", lang, index=tmp_path / "index.html")
