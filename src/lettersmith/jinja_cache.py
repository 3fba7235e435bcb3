"""Compiled Jinja templates kept on disk between runs.

Compiling a template (Jinja's code generator, then Python's ``compile``) was a
sixth of a one-letter ``build``.  The Python code of each compiled template is
kept in the user's cache folder (``$XDG_CACHE_HOME/lettersmith``, else
``~/.cache/lettersmith``; ``LETTERSMITH_NO_CACHE=1`` turns it off), keyed by
the template's text, name, Jinja's version and the environment's class, so a
changed template is compiled afresh.  A cache that cannot be read or written
is ignored.
"""
from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path
from types import CodeType

import jinja2

from . import diskcache


def cache_dir() -> Path | None:
    return diskcache.cache_dir("jinja")


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's own cache for the templates its loader finds (letter templates)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def compile_code(env: jinja2.Environment, source: str, filename: str) -> CodeType:
    """``env.compile(source)`` through the on-disk cache (body blocks, inline text)."""
    folder = cache_dir()
    key = hashlib.sha256("\0".join((jinja2.__version__, sys.version, type(env).__name__,
                                    filename, source)).encode()).hexdigest()
    path = folder / f"{key}.code" if folder is not None else None
    if path is not None:
        try:
            return marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            pass
    raw = env.compile(source, name=filename, filename=filename, raw=True)
    code = compile(raw, filename, "exec")
    if path is not None:
        diskcache.write(path, marshal.dumps(code))
    return code
