"""Never harm what is not ours: ownership proven by a signed marker, staging claimed by a lock,
results given back instead of deleted, and several folders published all together or not at all."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from simulate.cli import main
from simulate.errors import EnvironmentFailure, InputError
from simulate.report import publishing as writers
from simulate.report.publishing import HOST, LOCK, MARKER, Claim, atomic_directories, check_replaceable, is_ours, marker_text, remove_stale

#: One xdist worker runs this module's tests together (``--dist loadgroup``, pyproject.toml):
#: signals, locks, worker processes and Dask clusters are not interleaved with each other's.
pytestmark = pytest.mark.xdist_group("processes")

ROOT = Path(__file__).resolve().parent.parent


def ours(folder: Path, content: str = "old result") -> Path:
    folder.mkdir(parents=True)
    (folder / MARKER).write_text(marker_text(), encoding="utf-8")
    (folder / "indicators.csv").write_text(content, encoding="utf-8")
    return folder


def holder(folder: Path) -> subprocess.Popen:
    """Another process that claims ``folder`` (as a live run does) and waits."""
    code = f"import sys, time; sys.path.insert(0, {str(ROOT)!r}); from simulate.report.publishing import Claim; " \
           f"c = Claim(__import__('pathlib').Path({str(folder)!r})); print('ready', flush=True); time.sleep(60)"
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    return process


def test_a_folder_is_ours_only_with_the_signed_marker(tmp_path):
    thesis = tmp_path / "baseline"
    thesis.mkdir()
    (thesis / "chapter1.tex").write_text("my thesis", encoding="utf-8")
    (thesis / "run.json").write_text("{}", encoding="utf-8")  # another tool's record proves nothing
    assert not is_ours(thesis)
    assert main(["run", "baseline", "--out", str(tmp_path), "--no-figures", "--quiet"]) == 2
    assert (thesis / "chapter1.tex").read_text(encoding="utf-8") == "my thesis"
    (thesis / MARKER).write_text("written by the Quiet Crisis Simulator; safe to replace\n", encoding="utf-8")
    assert not is_ours(thesis)  # an unsigned marker (or a copied file name) is not enough
    (thesis / MARKER).write_text(json.dumps({"written_by": "Quiet Crisis Simulator", "key": "guess"}), encoding="utf-8")
    with pytest.raises(InputError, match="never replaced"):
        check_replaceable(thesis)
    link = tmp_path / "link"
    link.symlink_to(ours(tmp_path / "real"))
    assert not is_ours(link)


def test_a_signed_folder_is_replaced_and_the_new_one_is_signed(tmp_path):
    ours(tmp_path / "baseline")
    assert main(["run", "baseline", "--out", str(tmp_path), "--no-figures", "--quiet"]) == 0
    assert is_ours(tmp_path / "baseline") and (tmp_path / "baseline" / "population.csv").is_file()
    assert not (tmp_path / "baseline" / LOCK).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline", "index.html"]


def test_stale_staging_is_decided_by_its_lock_not_by_host_and_pid(tmp_path):
    dead = tmp_path / f".baseline.{HOST}-999999.abc.tmp"  # writer gone: lock file, nobody holds it
    dead.mkdir()
    Claim(dead).release()
    live = tmp_path / f".baseline.{HOST}-999998.def.tmp"  # a PID that means nothing here, but a live lock
    live.mkdir()
    unlocked = tmp_path / f".baseline.{HOST}-999997.ghi.tmp"  # no lock file: not provably stale
    unlocked.mkdir()
    elsewhere = tmp_path / ".baseline.otherhost-1.jkl.tmp"  # another host's, abandoned: the lock says so
    elsewhere.mkdir()
    Claim(elsewhere).release()
    process = holder(live)
    try:
        assert sorted(remove_stale(tmp_path)) == sorted([dead, elsewhere])
        assert live.is_dir() and unlocked.is_dir()
    finally:
        process.kill()
        process.wait()
    assert remove_stale(tmp_path) == [live]


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare (util-linux) is not installed")
def test_a_live_run_in_another_pid_namespace_is_never_removed(tmp_path):
    """Two containers with one host name share a volume: the other's PID means nothing here, and a
    PID test would delete its live work.  The lock is held across namespaces."""
    probe = subprocess.run(["unshare", "--pid", "--fork", "--mount-proc", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a PID namespace here: {probe.stderr.decode()[:100]}")
    staging = tmp_path / f".baseline.{HOST}-2.abc.tmp"
    staging.mkdir()
    code = f"import sys, time, pathlib; sys.path.insert(0, {str(ROOT)!r}); from simulate.report.publishing import " \
           f"Claim; c = Claim(pathlib.Path({str(staging)!r})); import os; print(os.getpid(), flush=True); time.sleep(60)"
    process = subprocess.Popen(["unshare", "--pid", "--fork", "--kill-child", "--mount-proc", sys.executable, "-c", code],
                               stdout=subprocess.PIPE, text=True)
    try:
        inner_pid = int(process.stdout.readline())
        assert inner_pid < 10  # it sees itself as one of the first processes of its namespace
        assert remove_stale(tmp_path) == [] and staging.is_dir()
    finally:
        process.kill()
        process.wait()


def test_a_result_left_in_old_by_a_kill_is_given_back(tmp_path):
    """SIGKILL between the two renames of publishing: the only copy sits in the retired folder."""
    target = ours(tmp_path / "baseline", "the only copy")
    code = textwrap.dedent(f"""
        import os, signal, sys, pathlib
        sys.path.insert(0, {str(ROOT)!r})
        from simulate.report import publishing as writers
        target = pathlib.Path({str(target)!r})
        retired, claim = writers._temporary(target, ".old")
        os.replace(target, retired / "0")
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    assert subprocess.run([sys.executable, "-c", code]).returncode == -signal.SIGKILL
    assert not target.exists()
    assert main(["run", "current", "--out", str(tmp_path), "--no-figures", "--quiet"]) == 0  # another scenario
    assert (target / "indicators.csv").read_text(encoding="utf-8") == "the only copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline", "current", "index.html"]


def test_an_old_folder_of_a_live_run_is_kept(tmp_path):
    retired = tmp_path / f".baseline.{HOST}-1.abc.old"
    retired.mkdir()
    ours(retired / "0")
    process = holder(retired)
    try:
        assert remove_stale(tmp_path) == [] and (retired / "0" / MARKER).is_file()
        assert not (tmp_path / "baseline").exists()
    finally:
        process.kill()
        process.wait()
    remove_stale(tmp_path)
    assert (tmp_path / "baseline" / "indicators.csv").is_file() and not retired.exists()


def test_several_folders_are_published_all_together_or_not_at_all(tmp_path, monkeypatch):
    first, second = ours(tmp_path / "a", "first before"), ours(tmp_path / "b", "second before")
    real = writers._publish
    calls = []

    def failing(staging, claim, target, attempts=20):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(staging, claim, target, attempts)

    monkeypatch.setattr(writers, "_publish", failing)
    with pytest.raises(OSError):
        with atomic_directories([first, second]) as (one, two):
            (one / "indicators.csv").write_text("first after", encoding="utf-8")
            (two / "indicators.csv").write_text("second after", encoding="utf-8")
    assert (first / "indicators.csv").read_text(encoding="utf-8") == "first before"
    assert (second / "indicators.csv").read_text(encoding="utf-8") == "second before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_someone_elses_folder_in_a_shared_one_stops_the_run_before_any_work(tmp_path, monkeypatch, capsys):
    """Classroom: A owns out/baseline in a shared (sticky, world-writable) folder; B runs baseline
    and current.  Nothing is published, not even current, and B is told at once in one line."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    theirs = ours(shared / "baseline", "A's result")
    owner = theirs.stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 4242)  # this process is B, not A
    assert main(["run", "baseline", "current", "--out", str(shared), "--no-figures", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "belongs to another user" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in shared.iterdir()) == ["baseline"]
    assert (theirs / "indicators.csv").read_text(encoding="utf-8") == "A's result"


def test_check_of_every_target_comes_before_any_work(tmp_path):
    (tmp_path / "current").mkdir()
    (tmp_path / "current" / "notes.txt").write_text("mine", encoding="utf-8")
    started = time.monotonic()
    assert main(["run", "baseline", "current", "--out", str(tmp_path), "--no-figures", "--quiet"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current"]
    assert time.monotonic() - started < 30


def test_csv_text_cells_and_headers_cannot_run_as_formulas(tmp_path):
    """OWASP's rule: a text cell starting with = + - @ tab or CR gets a leading quote; numbers,
    negative ones included, stay numbers."""
    import pandas as pd

    from simulate.report.csvfiles import write_csv
    frame = pd.DataFrame({"=cmd|' /C calc'!A0": ["=HYPERLINK(\"http://x\")", "+1", "-1-1", "@SUM(A1)", "\tx", "plain"],
                          "value": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0]})
    path = tmp_path / "t.csv"
    write_csv(frame, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("'=cmd")
    cells = [line.split(",")[0] for line in lines[1:]]
    assert all(cell.startswith(("'", "\"'")) for cell in cells[:5]) and cells[5] == "plain"
    assert [line.rsplit(",", 1)[1] for line in lines[1:]][:3] == ["-1.5", "2", "-3"]


def test_the_api_runs_and_writes_without_unix_only_modules(tmp_path):
    """Issue 37: ``import fcntl`` at the top of the writers made every API call fail on Windows, and
    ``resource`` is Unix-only.  With both imports blocked (as on Windows), a run and an ensemble are
    computed and written; without a lock to test, nothing is ever proved abandoned (kept)."""
    import subprocess
    import sys
    code = f"""
import sys
sys.modules["fcntl"] = None
sys.modules["resource"] = None
import simulate
from simulate.report import publishing as writers
from simulate.processes import peak_memory_mb
assert writers.fcntl is None
folder = simulate.run("current").write({str(tmp_path / "out")!r}, figures=False)
assert (folder / "report.html").is_file() and not (folder / writers.LOCK).exists()
found = simulate.ensemble("current", n=16, out={str(tmp_path / "out")!r})
assert found.folder.is_dir() and len(found.quantiles) > 0
assert peak_memory_mb() > 0
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
