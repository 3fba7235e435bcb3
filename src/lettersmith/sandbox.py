"""Jinja2's sandbox with bounded cost: no template can hang a build or eat memory.

Jinja's own sandbox stops a template reaching Python internals; it does not stop
``{{ 'a' * 10**9 }}``, ``{{ 9**(9**9) }}`` or a loop of loops.  Here:

* the operators that can make huge values (``*``, ``**``, ``+``, ``%``) are
  intercepted and refused when the result would be too large.  Intercepted
  operators are also never folded at compile time (Jinja's optimizer skips them
  in a sandbox), so ``9**(9**9)`` cannot hang the compiler;
* calls and filters refuse sizes beyond :data:`MAX_TEXT` (``center(10**9)``,
  ``ljust``, ``join`` of a huge list ...), and ``~`` joins and the whole output
  are measured before they are built;
* a watchdog (an interval timer; one for a whole letter) ends a render that runs
  longer than :func:`max_seconds` or grows the process by more than :data:`MAX_MEMORY`;
  deep recursion ends in Python's RecursionError.  All of these become
  :class:`TemplateTooCostly`, a LettersmithError naming the template.
"""
from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from jinja2 import BaseLoader, FileSystemBytecodeCache, TemplateNotFound, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from .errors import LettersmithError
from .safefiles import read_text

LIMITS_VERSION = 1  # raise when the checks compiled into templates change
MAX_TEXT = 1_000_000  # characters (or items) in any one value a template makes
MAX_OUTPUT = 5_000_000  # characters a whole template may render
MAX_INT_BITS = 4_096  # the largest number a template may compute (about 1,200 digits)


def max_seconds() -> float:
    """The template time limit (read when used, so a server's worker sees its client's)."""
    return float(os.environ.get("LETTERSMITH_TEMPLATE_SECONDS", "5"))
MAX_MEMORY = 512 * 1024 * 1024  # bytes a render may add to the process
_WIDTH = re.compile(r"\d{7,}")  # a format width/precision of a million or more


class TemplateTooCostly(LettersmithError):
    """A template asked for more time or memory than a letter can need."""

    def __init__(self, message: str) -> None:
        super().__init__(message, hint="a letter template needs nothing this large; "
                                       "check the loop, range, repetition or recursion there")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


def weight(value: Any) -> int:
    """Characters and items a value stands for, one level deep: a list of a
    million references to one long string weighs what printing it would cost."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, (list, tuple, set, frozenset)):
        return 0
    total = len(value)
    if total > MAX_TEXT:
        return total
    for item in value:
        if isinstance(item, (str, bytes, list, tuple, dict, set)):
            total += len(item)
            if total > MAX_TEXT:
                break
    return total


def _check_number(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise TemplateTooCostly("the template computes a number too large for a letter")


def _check_arg(value: Any) -> None:
    """An argument to a call or filter: no huge counts, widths, format widths or values."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
        raise TemplateTooCostly(f"the template passes {value} where at most {MAX_TEXT:,} "
                                "makes sense")
    if isinstance(value, str) and ("%" in value or "{" in value) and _WIDTH.search(value):
        raise TemplateTooCostly("the template formats with a width of a million or more")
    _check_result_size(weight(value))


def _check_result_size(total: int) -> None:
    if total > MAX_TEXT:
        raise TemplateTooCostly(f"the template builds a value of {total:,} characters or "
                                f"items (at most {MAX_TEXT:,})")


def bounded_join(pieces: Iterable[Any]) -> str:
    """``a ~ b ~ c``: measured before the string is built."""
    pieces = tuple(pieces)
    _check_result_size(sum(weight(p) for p in pieces))
    parts = [str(p) for p in pieces]
    _check_result_size(sum(map(len, parts)))
    return "".join(parts)


def _bounded_concat(pieces: Iterable[str]) -> str:
    """The whole output of a template, refused once it passes :data:`MAX_OUTPUT`."""
    out, total = [], 0
    for piece in pieces:
        total += len(piece)
        if total > MAX_OUTPUT:
            raise TemplateTooCostly(f"the template renders more than {MAX_OUTPUT:,} characters")
        out.append(piece)
    return "".join(out)


def _guard(func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose input, arguments and result are bounded."""

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        for value in list(args) + list(kwargs.values()):
            _check_arg(value)
        if func.__name__ == "do_replace" and len(args) >= 4:  # (eval_ctx, s, old, new)
            _check_replace(str(args[1]), str(args[2]), str(args[3]))
        result = func(*args, **kwargs)
        _check_result_size(weight(result))
        return result

    guarded.__dict__.update(getattr(func, "__dict__", {}))  # keep jinja's pass_* markers
    return guarded


def _check_replace(text: str, old: str, new: str) -> None:
    if len(new) > len(old):
        _check_result_size(len(text) + (text.count(old) if old else len(text) + 1) * len(new))


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}`` before it is printed."""
    _check_result_size(weight(value))
    return value


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` to a measured join."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class LimitedSandbox(SandboxedEnvironment):
    """The sandbox lettersmith renders every template in."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})
    code_generator_class = _BoundedCodeGenerator
    concat = staticmethod(_bounded_concat)  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, finalize=_finalize, **kwargs)
        if isinstance(self.bytecode_cache, FileSystemBytecodeCache):
            # code compiled here calls the checks above: never mix it with code a plain
            # sandbox (or an older version of these limits) cached for the same template
            self.bytecode_cache.pattern = f"__lettersmith_limited{LIMITS_VERSION}_%s.cache"
        self.filters = {name: _guard(f) for name, f in self.filters.items()}
        self.bounded_join = bounded_join

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and \
                    right > 0 and right * max(1, abs(left).bit_length()) > MAX_INT_BITS:
                raise TemplateTooCostly("the template raises a number to a power too large "
                                        "for a letter")
        elif operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(n, int) and not isinstance(seq, (int, float)):
                    _check_result_size(max(weight(seq), _size(seq)) * max(n, 0))
            if isinstance(left, int) and isinstance(right, int) and \
                    left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise TemplateTooCostly("the template computes a number too large for a letter")
        elif operator == "+":
            _check_result_size(weight(left) + weight(right))
        elif operator == "%" and isinstance(left, str):
            _check_arg(left)
            _check_result_size(len(left) + weight(right))
        result = super().call_binop(context, operator, left, right)
        _check_number(result)
        return result

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        for value in list(args) + list(kwargs.values()):
            _check_arg(value)
        name = getattr(__obj, "__name__", "")
        owner = getattr(__obj, "__self__", None)
        if owner is None:  # the sandbox's wrapped str.format
            owner = getattr(getattr(__obj, "__wrapped__", None), "__self__", None)
        if isinstance(owner, str):
            if name in ("format", "format_map"):
                _check_arg(owner)
            elif name == "join" and args:
                _check_result_size(weight(args[0]) + len(owner) * len(args[0]))
            elif name == "replace" and len(args) >= 2:
                _check_replace(owner, str(args[0]), str(args[1]))
        elif isinstance(owner, (list, dict, set)) and len(owner) > MAX_TEXT:
            raise TemplateTooCostly(f"the template grows a list past {MAX_TEXT:,} items")
        result = super().call(__context, __obj, *args, **kwargs)
        _check_result_size(weight(result))
        _check_number(result)
        return result


def _rss() -> int:
    """The process's resident memory in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


_ACTIVE = threading.local()


@contextlib.contextmanager
def watchdog(seconds: float | None = None) -> Iterator[None]:
    """End the block with TemplateTooCostly when it runs too long or grows too big.

    It uses an interval timer, so it works on the main thread only (where the
    command line runs); elsewhere, and when already active, it does nothing.
    """
    limit = max_seconds() if seconds is None else seconds
    if (threading.current_thread() is not threading.main_thread()
            or not hasattr(signal, "setitimer") or getattr(_ACTIVE, "on", False)):
        yield
        return
    start, deadline = _rss(), time.monotonic() + limit

    def check(signum: int, frame: Any) -> None:
        if time.monotonic() > deadline:
            raise TemplateTooCostly(f"the template ran for more than {limit:g} seconds")
        if start and _rss() - start > MAX_MEMORY:
            raise TemplateTooCostly(f"the template used more than {MAX_MEMORY >> 20} MB")

    previous = signal.signal(signal.SIGALRM, check)
    _ACTIVE.on = True
    signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _ACTIVE.on = False


class SafeFileLoader(BaseLoader):
    """Templates from one folder: regular UTF-8 files inside it only (a symlink
    leading out of the folder, a FIFO or a device is refused with a clear error)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        if not os.path.lexists(path):
            raise TemplateNotFound(template)
        text = read_text(path, self.folder, path, "template")
        mtime = os.stat(path).st_mtime
        return text, str(path), lambda: os.path.exists(path) and os.stat(path).st_mtime == mtime

    def list_templates(self) -> list[str]:
        return sorted(p.relative_to(self.folder).as_posix()
                      for p in self.folder.rglob("*") if p.is_file()) if self.folder.is_dir() else []
