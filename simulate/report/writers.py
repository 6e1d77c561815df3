"""Writing a run's files atomically: everything lands in ``<out>/<name>/`` at once or not at all."""

from __future__ import annotations

import errno
import json
import os
import platform
import re
import shutil
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

import simulate
from simulate import data
from simulate.errors import InputError
from simulate.pipeline import RunResult
from simulate.processes import signals_held


#: Written into every result folder.  A folder is replaced only if it carries this marker (or the
#: JSON record of a run from a release before it): the program never deletes what it did not write.
MARKER = ".quiet-crisis"
OWN_FILES = (MARKER, "run.json", "ensemble.json", "sensitivity.json", "sweep.json")


def check_replaceable(target: Path) -> None:
    """Refuse (exit 2, before anything is written) a ``target`` that exists but is not a result folder."""
    if target.exists() and not (target.is_dir() and any((target / name).is_file() for name in OWN_FILES)):
        raise InputError(f"{target} exists and was not written by this simulator, so it is never replaced: "
                         "choose another --out folder or scenario name")


def current_umask() -> int:
    """The process's file-creation mask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Temporary folders are named ``.<target>.<host>-<pid>.<random>.tmp`` (or ``.old``): a later run
#: on the same host removes those whose process is gone.
HOST = socket.gethostname().split(".")[0] or "host"
TEMPORARY = re.compile(r"^\..+\.(?P<host>[^.]+)-(?P<pid>\d+)\.[^.]+\.(tmp|old)$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale(folder: Path) -> list[Path]:
    """Remove temporary folders in ``folder`` left by killed runs on this host (their process is
    gone); folders of live runs and of other hosts are kept.  Returns what was removed."""
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = TEMPORARY.match(entry.name)
        if match and match["host"] == HOST and not _alive(int(match["pid"])) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _temporary(target: Path, suffix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{HOST}-{os.getpid()}.", suffix=suffix, dir=target.parent))


@contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield a temporary directory beside ``target``; on success it replaces ``target``.

    On any exception (including KeyboardInterrupt) the temporary directory is removed and the
    previous ``target`` is left untouched.  A ``target`` the program did not write is refused
    (:func:`check_replaceable`).  Concurrent writers of the same target each publish a
    complete folder; the last one to finish wins and no files are ever mixed.
    """
    check_replaceable(target)
    created = [p for p in [target.parent, *target.parent.parents] if not p.exists()]
    staging = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(target.parent)
        staging = _temporary(target, ".tmp")
        yield staging
        (staging / MARKER).write_text("written by the Quiet Crisis Simulator; safe to replace\n", encoding="utf-8")
        os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp's 0700 would hide results from colleagues
        _publish(staging, target)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        for folder in created:  # the folders made for this result, innermost first, if still empty
            try:
                folder.rmdir()
            except OSError:
                break
        raise


def _publish(staging: Path, target: Path, attempts: int = 20) -> None:
    """Rename ``staging`` to ``target``, moving any existing ``target`` aside first (then deleting it).

    Ctrl-C and SIGTERM are held back between the two renames, so an interrupt never leaves the old
    result moved away and the new one not yet in place; they take effect right after."""
    retired = _temporary(target, ".old")
    try:
        for attempt in range(attempts):
            with signals_held():
                try:
                    os.replace(target, retired / str(attempt))
                except FileNotFoundError:
                    pass
                try:
                    os.replace(staging, target)
                    return
                except OSError as error:  # another writer published in between: move it aside, retry
                    if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                        _restore(retired / str(attempt), target)
                        raise
        raise OSError(f"could not publish {target}: other writers kept replacing it")
    finally:
        shutil.rmtree(retired, ignore_errors=True)


def _restore(moved: Path, target: Path) -> None:
    """Put a moved-aside result back if nothing took its place."""
    if moved.exists() and not target.exists():
        os.replace(moved, target)


#: Significant digits kept in CSV files.
CSV_DIGITS = 10


def _plain(value: float, digits: int) -> str:
    """One float as a plain decimal with ``digits`` significant digits ("" for NaN, never "-0")."""
    if not np.isfinite(value):
        return ""
    text = np.format_float_positional(value, precision=digits, unique=False, fractional=False, trim="-")
    return "0" if text == "-0" else text


def _plain_column(values: np.ndarray, digits: int) -> np.ndarray:
    """:func:`_plain` of every value, fast: ``%.{digits}g`` prints the same text wherever it prints
    no exponent (both round correctly to ``digits`` significant digits; checked on 600,000 values),
    so only the values it would print with an exponent, and NaN, go through :func:`_plain`."""
    texts = [f"%.{digits}g" % v for v in values.tolist()]
    for i, text in enumerate(texts):
        if "e" in text or "n" in text:  # 1e-05, nan, inf
            texts[i] = _plain(values[i], digits)
    return np.array(texts, dtype=object)


def csv_ready(frame: pd.DataFrame, digits: int = CSV_DIGITS) -> pd.DataFrame:
    """``frame`` for ``to_csv(float_format=f"%.{digits}g")`` with no scientific notation and no "-0":
    columns whose values that format would print with an exponent become plain decimal text; -0.0
    becomes 0 everywhere."""
    out = {}
    for name, column in frame.items():
        values = column.to_numpy()
        if values.dtype.kind == "f":
            values = values + 0.0  # -0.0 + 0.0 == +0.0
            size = np.abs(values[np.isfinite(values) & (values != 0)])
            if size.size and (size.max() >= 10.0 ** digits or size.min() < 1e-4):
                values = _plain_column(values, digits)
        out[name] = values
    return pd.DataFrame(out, index=frame.index)


def write_csv(frame: pd.DataFrame, path: Path, digits: int = CSV_DIGITS, excel: bool = False) -> None:
    """A table as UTF-8 CSV (no index) that people can read: see :func:`csv_ready`.  ``excel``: with a
    byte-order mark, so that Japanese Excel opens Japanese labels as UTF-8 instead of Shift-JIS."""
    csv_ready(frame, digits).to_csv(path, index=False, float_format=f"%.{digits}g",
                                    encoding="utf-8-sig" if excel else "utf-8")


def _json_safe(value):
    """``value`` with numpy scalars as Python numbers and NaN or infinities as null (valid JSON)."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.ndarray):
        return _json_safe(value.tolist())
    return value


def json_text(value) -> str:
    """Indented, UTF-8-friendly JSON that every parser accepts (no NaN, no Infinity)."""
    return json.dumps(_json_safe(value), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def run_metadata(result: RunResult, wall_ms: float) -> dict:
    """The contents of ``run.json``."""
    loaded = result.loaded
    return {
        "scenario": loaded.scenario.name,
        "title": loaded.scenario.label,
        "files": [str(p) for p in loaded.files],
        "file_sha256": loaded.file_sha256,
        "resolved_sha256": loaded.resolved_sha256,
        "package": "quiet-crisis",
        "version": simulate.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "data_sha256": data.data_checksums(),
        "timings_ms": result.timings_ms | {"wall": round(wall_ms, 3)},
        "targets": result.targets,
        "history": history_metadata(loaded.scenario),
        "resolved_scenario": loaded.scenario.model_dump(mode="json"),
    }


def history_metadata(scenario) -> dict:
    """The calendar of a run and how its observed years compare with the registered flows."""
    from simulate.demography.history import birth_allowance, birth_calibration, history_fit

    fit = history_fit(scenario.jump_off, scenario.history_end) if scenario.history_end > scenario.basis.jump_off_year \
        else None
    return {"jump_off": scenario.jump_off, "observed_until": scenario.history_end,
            "counterfactual_past": scenario.counterfactual_past, "base_year": scenario.base_year,
            "birth_calibration": birth_calibration(scenario.jump_off), "birth_allowance": birth_allowance(),
            "observed_years": [] if fit is None else fit.round(3).to_dict(orient="records")}
