"""Publishing a result folder atomically: everything lands in ``<out>/<name>/`` at once or not at all,
in a folder signed as ours, locked while it is written, and only our own signed folders are replaced.
(CSV safety: :mod:`simulate.report.csvfiles`; what ``run.json`` records: :mod:`simulate.provenance`.)"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import shutil
import socket
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from simulate.errors import EnvironmentFailure, InputError
from simulate.processes import signals_held
from simulate.report.files import MARKER_FILE
from simulate.text.messages import t

log = logging.getLogger(__name__)


#: Written into every result folder, with the program's signature: a folder is replaced only if its
#: marker carries :data:`SIGNATURE` (a file of that name alone, or another tool's ``run.json``, proves
#: nothing), so the program never deletes what it did not write.
MARKER = MARKER_FILE
#: The signature: a fixed key of this program and the marker's format version.
SIGNATURE = {"written_by": "Quiet Crisis Simulator", "key": "qcs-5f0c2e1a-8b7d-4c69-9e2f-3a1d7b64c0e8",
             "marker_format": 1}
#: Largest marker read (a real one is about 150 bytes).
MARKER_BYTES = 4096
#: Inside a staging (or retired) folder: the file its writer holds locked (``flock``) while it lives.
LOCK = ".lock"


def marker_text(asked: str | None = None) -> str:
    """The marker file's contents; ``asked``: the question the folder answers (see :func:`check_replaceable`)."""
    return json.dumps(SIGNATURE | {"note": "safe to replace by a later run of the simulator"}
                      | ({"asked": asked} if asked else {}), indent=1) + "\n"


def marker_asked(folder: Path) -> str | None:
    """The question a folder of ours recorded in its marker (None: none recorded, or unreadable)."""
    try:
        found = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    asked = found.get("asked") if isinstance(found, dict) else None
    return asked if isinstance(asked, str) else None


def is_ours(folder: Path) -> bool:
    """True if ``folder`` is a real folder (not a link) whose marker is a regular file carrying the
    program's :data:`SIGNATURE`."""
    marker = folder / MARKER
    try:
        if folder.is_symlink() or not folder.is_dir() or marker.is_symlink() or not marker.is_file():
            return False
        if marker.stat().st_size > MARKER_BYTES:
            return False
        found = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and all(found.get(k) == v for k, v in SIGNATURE.items())


def check_replaceable(target: Path, asked: str | None = None) -> None:
    """Refuse, before anything is written, a ``target`` that exists but is not a folder of ours
    (exit 2), that answers another question than ``asked`` (exit 2: two questions whose shortened
    names collide, or a scenario file named like another answer's folder), or that this user cannot
    move aside (exit 1: someone else's folder in a shared one)."""
    if not (target.exists() or target.is_symlink()):
        return
    if not is_ours(target):
        raise InputError(t("{folder} exists and was not written by this simulator (no signed {marker} marker), so it "
                           "is never replaced: choose another --out folder or scenario name", folder=target, marker=MARKER))
    theirs = marker_asked(target)
    if asked and theirs and theirs != asked:
        raise InputError(t("{folder} holds the answer to another question ({theirs}), so it is not replaced by this one "
                           "({asked}): choose another --out folder or scenario name", folder=target,
                           theirs=theirs[:200], asked=asked[:200]))
    parent = target.parent
    sticky = parent.stat().st_mode & stat.S_ISVTX
    others = os.geteuid() != 0 and target.stat().st_uid != os.geteuid()
    if not os.access(parent, os.W_OK | os.X_OK) or not os.access(target, os.W_OK) or (sticky and others):
        raise EnvironmentFailure(t("{folder} belongs to another user (or is read-only here), so this run cannot "
                                   "replace it: choose another --out folder; nothing was written", folder=target))


def current_umask() -> int:
    """The process's file-creation mask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Temporary folders are named ``.<target>.<host>-<pid>.<random>.tmp`` (or ``.old``) for people to
#: read; whether one is stale is decided by its lock, not by the name (PIDs repeat across containers).
HOST = socket.gethostname().split(".")[0] or "host"
TEMPORARY = re.compile(r"^\..+\.(?P<host>[^.]+)-(?P<pid>\d+)\.[^.]+\.(?P<kind>tmp|old)$")


try:  # an exclusive lock the kernel drops when its process ends, however it ends
    import fcntl
except ImportError:  # Windows: msvcrt's byte-range lock has the same property
    fcntl = None
try:
    import msvcrt
except ImportError:
    msvcrt = None
#: ``open`` flags that refuse to follow a link where the system has them (not on Windows).
NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def lock_file(fd: int, wait: bool = True) -> bool:
    """Lock the open file ``fd`` exclusively (``wait``: until it is free, else OSError if it is held);
    False where the system offers no such lock (then nothing is ever proved abandoned: kept)."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        return True
    if msvcrt is not None:
        msvcrt.locking(fd, msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
        return True
    return False


class Claim:
    """A temporary folder claimed by this process: an exclusive ``flock`` on its :data:`LOCK` file,
    held until :meth:`release`.  The kernel drops it when the process ends however it ends, which no
    PID test across PID namespaces or hosts can tell; NFS v4 carries flock as a byte-range lock.
    The file is locked under another name first and then renamed, so nobody ever finds it unlocked."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.fd: int | None = None
        self.lock()

    def lock(self) -> None:
        """Create and lock :data:`LOCK` in the folder (again after :meth:`unlink`)."""
        fresh = self.folder / (LOCK + ".new")
        fd = os.open(fresh, os.O_CREAT | os.O_WRONLY | NO_FOLLOW, 0o600)
        lock_file(fd)
        os.replace(fresh, self.folder / LOCK)
        if self.fd is not None:
            os.close(self.fd)
        self.fd = fd

    def unlink(self) -> None:
        """Remove the lock file (it must not travel with a published result), keeping the lock."""
        try:
            os.unlink(self.folder / LOCK)
        except OSError:
            pass

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _abandoned(folder: Path) -> bool:
    """True if ``folder``'s lock file exists and nobody holds it: its writer is gone.  Without a lock
    file (being created, or left by an older release) it is not provably stale: it is kept."""
    lock = folder / LOCK
    try:
        if lock.is_symlink() or not lock.is_file():
            return False
        fd = os.open(lock, os.O_RDONLY | NO_FOLLOW)
    except OSError:
        return False
    try:
        if not lock_file(fd, wait=False):
            return False  # no lock to test: not provably stale, kept
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def remove_stale(folder: Path) -> list[Path]:
    """Clean up what killed runs left in ``folder``: a staging folder (``.tmp``) whose writer is gone
    is removed; a retired folder (``.old``) whose writer is gone gives its result back to the target
    when the target is missing (the kill came between the two renames, so it is the only copy), and
    is removed only when the target holds a newer result.  Live runs' folders, folders without a
    lock and anything not ours are kept.  Returns what was removed or restored."""
    done = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return done
    for entry in entries:
        match = TEMPORARY.match(entry.name)
        if not match or entry.is_symlink() or not entry.is_dir() or not _abandoned(entry):
            continue
        if match["kind"] == "old":
            target = folder / entry.name[1:].split(f".{match['host']}-{match['pid']}.")[0]
            kept = sorted((p for p in entry.iterdir() if p.name != LOCK and is_ours(p)), key=lambda p: p.name)
            if kept and not (target.exists() or target.is_symlink()):
                os.replace(kept[-1], target)  # the only copy: back where it was
            if any(p.name != LOCK for p in entry.iterdir()) and not (target.exists() and is_ours(target)):
                continue  # something we cannot account for: leave it
        shutil.rmtree(entry, ignore_errors=True)
        done.append(entry)
    return done


def _temporary(target: Path, suffix: str) -> tuple[Path, Claim]:
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.{HOST}-{os.getpid()}.", suffix=suffix, dir=target.parent))
    return folder, Claim(folder)


@contextmanager
def atomic_directory(target: Path, asked: str | None = None) -> Iterator[Path]:
    """:func:`atomic_directories` for one folder."""
    with atomic_directories([target], [asked]) as (staging,):
        yield staging


@contextmanager
def atomic_directories(targets: list[Path], asked: list[str | None] | None = None) -> Iterator[list[Path]]:
    """Yield a temporary directory beside each of ``targets``; on success they replace the targets.

    Every target is checked before anything is written (:func:`check_replaceable`): a folder that
    recorded another question than the one in ``asked`` (one per target, None: not checked) is not
    replaced; each published marker records its question.  On any
    exception (including KeyboardInterrupt) the temporary directories are removed and every previous
    target is left untouched.  Publishing several folders is not one atomic step: they are renamed
    into place one after the other, and if one fails, those already published are put back as they
    were, so a command publishes all of its folders or none (a machine that dies in between can
    leave an earlier result in a retired ``.old`` folder, which the next run gives back).  Concurrent
    writers of the same target each publish a complete folder; the last one to finish wins.
    """
    asked = list(asked or [None] * len(targets))
    for target, question in zip(targets, asked):
        check_replaceable(target, question)
    created = sorted({p for t in targets for p in [t.parent, *t.parent.parents] if not p.exists()},
                     key=lambda p: len(p.parts), reverse=True)
    staged: list[tuple[Path, Claim]] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            remove_stale(target.parent)
            staged.append(_temporary(target, ".tmp"))
        yield [folder for folder, _ in staged]
        for (folder, claim), question in zip(staged, asked):
            (folder / MARKER).write_text(marker_text(question), encoding="utf-8")
            os.chmod(folder, 0o777 & ~current_umask())  # mkdtemp's 0700 would hide results from colleagues
        _publish_all([(folder, claim, target) for (folder, claim), target in zip(staged, targets)])
    except BaseException:
        for folder, claim in staged:
            shutil.rmtree(folder, ignore_errors=True)
            claim.release()
        for folder in created:  # the folders made for these results, innermost first, if still empty
            try:
                folder.rmdir()
            except OSError:
                pass
        raise


def _publish_all(staged: list[tuple[Path, Claim, Path]]) -> None:
    """Publish every staged folder; if one fails, put back those already published, then re-raise."""
    done: list[tuple[Path, Path | None, Claim | None]] = []  # target, its retired previous result, claim
    try:
        for folder, claim, target in staged:
            done.append((target, *_publish(folder, claim, target)))
            log.info("published %s", target)
    except BaseException:
        with signals_held():
            for target, previous, _ in reversed(done):
                shutil.rmtree(target, ignore_errors=True)  # our own new folder (just published)
                if previous is not None:
                    os.replace(previous, target)
        raise
    finally:
        for _, previous, retired in done:
            if retired is not None:
                shutil.rmtree(retired.folder, ignore_errors=True)
                retired.release()


def _publish(staging: Path, claim: Claim, target: Path, attempts: int = 20) -> tuple[Path | None, Claim | None]:
    """Rename ``staging`` to ``target``, moving any existing ``target`` aside first into a retired
    folder (claimed, so that a later run can give it back if this one dies).  Returns the retired
    previous result (None if there was none) and the retired folder's claim; the caller deletes them
    once every folder of the command is published.

    Ctrl-C and SIGTERM are held back between the two renames, so an interrupt never leaves the old
    result moved away and the new one not yet in place; they take effect right after."""
    retired, retired_claim = _temporary(target, ".old")
    previous = None
    try:
        for attempt in range(attempts):
            with signals_held():
                moved = retired / str(attempt)
                try:
                    os.replace(target, moved)
                    previous = moved
                except FileNotFoundError:
                    pass
                try:
                    claim.unlink()  # the lock file does not travel with the result
                    os.replace(staging, target)
                    claim.release()
                    return previous, retired_claim
                except OSError as error:  # another writer published in between: move it aside, retry
                    claim.lock()
                    if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                        _restore(moved, target)
                        raise
        raise EnvironmentFailure(t("could not publish {folder}: other writers kept replacing it", folder=target))
    except BaseException:
        if previous is not None:
            _restore(previous, target)
        shutil.rmtree(retired, ignore_errors=True)
        retired_claim.release()
        raise


def _restore(moved: Path, target: Path) -> None:
    """Put a moved-aside result back if nothing took its place."""
    if moved.exists() and not target.exists():
        os.replace(moved, target)
