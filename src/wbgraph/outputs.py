"""Writing outputs so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import contextvars
import csv
import io
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

__all__ = ["check_output_dir", "csv_text", "formula_safe", "raw_csv", "process_alive", "remove_stale_stages", "staged_dir",
           "unescape_formula", "write_atomic"]


def check_output_dir(directory: Path) -> None:
    """Fail early, with a clear message, when ``directory`` cannot hold outputs."""
    if directory.exists() and not directory.is_dir():
        raise OutputError("exists and is not a directory", file=directory, hint="choose another output path")
    parent = directory if directory.exists() else directory.parent
    while not parent.exists():
        parent = parent.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError("is not writable", file=parent, hint="choose a directory you can write to")


#: Whether CSV cells that a spreadsheet would run as a formula are escaped (see :func:`formula_safe`).
ESCAPE_FORMULAS: contextvars.ContextVar[bool] = contextvars.ContextVar("wbgraph_escape_formulas", default=True)
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def formula_safe(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: one ``'`` before a cell that begins with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return (OWASP's rule), or with quotes followed by one of them, so
    that :func:`unescape_formula` gives back the exact text. Plain numbers are left alone.

    >>> formula_safe("=SUM(A1:A9)"), formula_safe("-3.5"), formula_safe("'=1"), formula_safe("Serbia")
    ("'=SUM(A1:A9)", '-3.5', "''=1", 'Serbia')
    """
    if _FORMULA.match(cell) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def unescape_formula(cell: str) -> str:
    """The text of a cell written by :func:`formula_safe` (used when CSV is read back by ``ingest``).

    >>> unescape_formula("'=1+2"), unescape_formula("''=1"), unescape_formula("'quoted'")
    ('=1+2', "'=1", "'quoted'")
    """
    if cell.startswith("'") and _FORMULA.match(cell[1:]) and not _NUMBER.fullmatch(cell[1:]):
        return cell[1:]
    return cell


@contextmanager
def raw_csv() -> Iterator[None]:
    """Write CSV cells exactly as they are inside this block (for programs, not spreadsheets).

    >>> with raw_csv():
    ...     print(csv_text(["a"], [["=1+2"]]), end="")
    a
    =1+2
    """
    token = ESCAPE_FORMULAS.set(False)
    try:
        yield
    finally:
        ESCAPE_FORMULAS.reset(token)


def csv_text(header, rows, *, delimiter: str = ",", lineterminator: str = "\n") -> str:
    """CSV text with a header row; None cells are written empty, and text that a spreadsheet would run
    as a formula is escaped (see :func:`formula_safe`; :func:`raw_csv` turns that off).

    >>> print(csv_text(["a", "b"], [[1, None], ["x,y", "=SUM(A1)"]]), end="")
    a,b
    1,
    "x,y",'=SUM(A1)
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    escape = formula_safe if ESCAPE_FORMULAS.get() else str
    writer.writerow([escape(str(cell)) for cell in header])
    writer.writerows([escape(cell) if isinstance(cell, str) else "" if cell is None else cell for cell in row]
                     for row in rows)
    return buffer.getvalue()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory, then rename.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomic(target, "hello").read_text()
    'hello'
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise OutputError("the directory does not exist", file=path.parent, hint="create it first or choose another path")
    mode = "wb" if isinstance(data, bytes) else "w"
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as err:
        raise OutputError(f"cannot write here: {err.strerror}", file=path.parent) from None
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


STAGE_PREFIX = ".wbgraph-stage-"


@contextmanager
def staged_dir(directory: str | Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success move its files into ``directory``, on failure drop it.

    Files already in ``directory`` that the run does not produce are left alone. The staging folder is
    also dropped when the process is stopped by SIGTERM or SIGHUP (as by SIGINT); one left behind by a
    process killed outright (SIGKILL, power loss) is removed by the next run into ``directory``.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> with staged_dir(out) as stage:
    ...     _ = (stage / "a.txt").write_text("a")
    >>> sorted(p.name for p in out.iterdir())
    ['a.txt']
    """
    directory = Path(directory)
    check_output_dir(directory)
    directory.mkdir(parents=True, exist_ok=True)
    remove_stale_stages(directory)
    stage = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-", dir=directory))
    try:
        with _stopped_by_signals():
            yield stage
        for item in sorted(stage.rglob("*")):
            if item.is_file():
                target = directory / item.relative_to(stage)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(item, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def remove_stale_stages(directory: Path) -> list[Path]:
    """Remove the staging folders in ``directory`` whose process is gone; return them.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> (out / ".wbgraph-stage-999999999-x").mkdir()
    >>> [p.name for p in remove_stale_stages(out)], list(out.iterdir())
    (['.wbgraph-stage-999999999-x'], [])
    """
    removed = []
    for folder in sorted(directory.glob(f"{STAGE_PREFIX}*")):
        pid = folder.name[len(STAGE_PREFIX):].split("-", 1)[0]
        if folder.is_dir() and not (pid.isdigit() and process_alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (under any user), to tell a live run's folder from an orphan's.

    >>> import os
    >>> process_alive(os.getpid()), process_alive(999999999)
    (True, False)
    """
    try:
        os.kill(pid, 0)
    except PermissionError:  # it exists, under another user
        return True
    except (OSError, OverflowError):
        return False
    return True


class Stopped(KeyboardInterrupt):
    """Raised in the main thread when the process gets SIGTERM or SIGHUP, so that clean-ups run."""


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise Stopped(f"stopped by signal {signum}")

    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    previous = {n: signal.signal(getattr(signal, n), stop) for n in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)
