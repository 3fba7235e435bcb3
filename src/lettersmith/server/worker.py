"""A forked worker: become the caller (its folder, environment, umask, streams and
arguments), run the command as the command line would, and exit with its status."""
from __future__ import annotations

import io
import os
import signal
import sys
from typing import NoReturn

from .protocol import Request


def run(request: Request, fds: list[int], hints_fd: int) -> NoReturn:
    code = 1
    try:
        become_caller(request, fds)
        from ..entry import run_here
        run_here(request.prog)  # click ends with SystemExit; returning is success
        code = 0
    except SystemExit as done:
        code = exit_code(done.code)
    except BaseException as err:  # never a traceback on the caller's terminal
        try:
            sys.stderr.write(f"error: internal error in the lettersmith server, please report "
                             f"it (LETTERSMITH_SERVER=0 runs without it): "
                             f"{type(err).__name__}: {err}\n")
        except Exception:
            pass
    finally:
        try:
            import atexit
            atexit._run_exitfuncs()
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
        except BaseException:
            pass
        from . import hints
        hints.send(hints_fd)
        os._exit(code)  # noqa: the server's own exit handlers are not this command's


def exit_code(value: object) -> int:
    """What ``sys.exit(value)`` makes the process's status."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    try:
        sys.stderr.write(f"{value}\n")
    except Exception:
        pass
    return 1


def become_caller(request: Request, fds: list[int]) -> None:
    for signum in (signal.SIGCHLD, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    stdin, stdout, stderr, cwd = fds
    for source, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
        os.dup2(source, target)
    os.fchdir(cwd)
    for fd in set(fds) - {0, 1, 2}:
        os.close(fd)
    os.umask(request.umask)
    os.environ.clear()
    os.environ.update(entry.split("=", 1) for entry in request.env if "=" in entry)
    sys.argv = list(request.argv)
    try:  # text files opened without an encoding follow the caller's locale
        import locale
        locale.setlocale(locale.LC_CTYPE, "")
    except Exception:
        pass
    if "tempfile" in sys.modules:
        sys.modules["tempfile"].tempdir = None  # worked out again from this $TMPDIR
    enc = request.encodings
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(
        io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding=enc[0], errors=enc[1])
    sys.stdout = sys.__stdout__ = _writer(1, enc[2], enc[3])
    sys.stderr = sys.__stderr__ = _writer(2, enc[4], enc[5])


def _writer(fd: int, encoding: str, errors: str) -> io.TextIOWrapper:
    """A text stream on ``fd`` buffered as Python buffers its own at start-up."""
    raw = io.FileIO(fd, "w", closefd=False)
    tty = raw.isatty()
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding=encoding, errors=errors,
                            line_buffering=tty or fd == 2, write_through=fd == 2)
