"""Clean deaths: SIGTERM, killed parents, stale temporary folders, held signals and lost Dask workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulate.processes import TERMINATED_EXIT, signals_held

from conftest import ROOT

#: One xdist worker runs this module's tests together (``--dist loadgroup``, pyproject.toml):
#: signals, locks, worker processes and Dask clusters are not interleaved with each other's.
pytestmark = pytest.mark.xdist_group("processes")


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of process group ``pgid``, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def start_run(out: Path) -> subprocess.Popen:
    """``python run.py`` (every scenario, with figures in worker processes) in its own process group."""
    return subprocess.Popen([sys.executable, str(ROOT / "run.py"), "--out", str(out)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def wait_for_workers(process: subprocess.Popen, limit: float = 60.0) -> None:
    """Wait until the run has started worker processes (figures)."""
    end = time.monotonic() + limit
    while len(group_members(process.pid)) < 2:
        assert process.poll() is None and time.monotonic() < end, "the run never started workers"
        time.sleep(0.05)


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and p.suffix in (".tmp", ".old")]


@pytest.mark.slow
def test_sigterm_to_the_group_exits_143_and_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    process = start_run(out)
    wait_for_workers(process)
    os.killpg(process.pid, signal.SIGTERM)  # what timeout, systemd and container runtimes do
    _, err = process.communicate(timeout=60)
    assert process.returncode == TERMINATED_EXIT, err
    assert err.decode().strip().splitlines()[-1] == "terminated" and b"Traceback" not in err
    deadline = time.monotonic() + 10
    while group_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert group_members(process.pid) == []
    assert not out.exists()  # made for this run, so removed with its temporary folders


@pytest.mark.slow
def test_workers_end_with_a_killed_parent_and_the_next_run_removes_its_debris(tmp_path):
    out = tmp_path / "out"
    process = start_run(out)
    wait_for_workers(process)  # figure workers start before the scenarios run; wait for the writing
    deadline = time.monotonic() + 60
    while not (out.exists() and temporaries(out)) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(process.pid, signal.SIGKILL)  # the parent only, as the out-of-memory killer does
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while group_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert group_members(process.pid) == [], "worker processes outlived their parent"
    assert temporaries(out), "the killed run should have left a staging folder behind"
    subprocess.run([sys.executable, str(ROOT / "run.py"), "run", str(ROOT / "scenarios" / "baseline.yaml"),
                    "--out", str(out), "--no-figures", "--quiet"], check=True, cwd=ROOT)
    assert temporaries(out) == []


def test_signals_are_held_while_a_result_is_swapped_in():
    received = []
    previous = signal.signal(signal.SIGINT, lambda *a: received.append(time.monotonic()))
    try:
        with signals_held():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            assert received == []  # not yet: the renames finish first
            left = time.monotonic()
        time.sleep(0.01)
        assert received and received[0] >= left
    finally:
        signal.signal(signal.SIGINT, previous)


def test_dask_without_workers_fails_with_one_line_after_the_timeout():
    distributed = pytest.importorskip("dask.distributed")
    from simulate.uncertainty.backends import DaskBackend, NoWorkers

    with distributed.LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=None) as cluster:
        start = time.monotonic()
        with pytest.raises(NoWorkers, match="no worker joined within 1 s"):
            with DaskBackend(cluster.scheduler_address, timeout=1.0):
                pass
        assert time.monotonic() - start < 30


def _nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_dask_run_stops_when_every_worker_is_gone():
    distributed = pytest.importorskip("dask.distributed")
    from simulate.uncertainty.backends import DaskBackend, NoWorkers

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        runner = DaskBackend(cluster.scheduler_address, workers=1, timeout=1.0)
        runner.poll = 0.2
        with runner:
            results = runner.map(_nap, [(0.3,)] * 8)
            assert next(results) == 0.3
            cluster.scale(0)
            with pytest.raises(NoWorkers, match="no worker left within 1 s"):
                list(results)


@pytest.mark.parametrize("delay", [0.05, 0.15, 0.3, 0.5, 0.8])
def test_ctrl_c_at_any_moment_of_start_up_is_one_line(delay):
    process = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "validate",
                                str(ROOT / "scenarios" / "baseline.yaml")], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    if b"init_import_site" in err or b'run.py", line 0, in <module>' in err:
        return  # the signal came while the interpreter itself was starting, before run.py's first line: not ours
    assert process.returncode in (0, 130), err
    assert b"Traceback" not in err
    if process.returncode == 130:
        assert err.decode().strip() == "interrupted"


CTRL_C_IN_A_CALLBACK = """
import sys
import time
from simulate.cli import commands
from simulate.__main__ import main


from simulate.processes import Terminated

SIGNALLED = {"interrupted": KeyboardInterrupt, "terminated": Terminated}[sys.argv.pop()]


class SwallowsCtrlC:
    def __del__(self):  # Python cannot raise from here: it reports the exception as unraisable
        raise SIGNALLED


def validate(files):
    SwallowsCtrlC()
    time.sleep(30)  # the interrupt, passed on, arrives here
    raise SystemExit("the Ctrl-C was lost")


commands.api.validate = validate
sys.exit(main())
"""


@pytest.mark.parametrize("line, code", [("interrupted", 130), ("terminated", TERMINATED_EXIT)])
def test_ctrl_c_swallowed_by_a_callback_still_interrupts_with_one_line(line, code):
    """Ctrl-C (or SIGTERM) inside an import-lock callback (CI saw one while a library loaded) is not
    lost as an "Exception ignored" traceback: the command stops with one line and its exit code."""
    process = subprocess.run([sys.executable, "-c", CTRL_C_IN_A_CALLBACK, "validate",
                              str(ROOT / "scenarios" / "baseline.yaml"), line], cwd=ROOT,
                             capture_output=True, timeout=120)
    assert (process.returncode, process.stderr.decode().strip()) == (code, line)
