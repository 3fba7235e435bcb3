"""YAML that remembers where things were written and refuses duplicate keys.

Mappings load as :class:`LineDict` and sequences as :class:`LineList`; both carry
``line`` (1-based, where they start) and ``lines`` (the line of each key or item),
so every later error can name the line a user has to fix.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import LettersmithError

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A mapping with the source line of itself (``line``) and of each key (``lines``)."""

    line: int = 0
    lines: dict

    def line_of(self, key: object) -> int:
        return getattr(self, "lines", {}).get(key, self.line)


class LineList(list):
    """A sequence with the source line of itself (``line``) and of each item (``lines``)."""

    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        lines = getattr(self, "lines", [])
        return lines[index] if 0 <= index < len(lines) else self.line


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result.lines:
            raise LettersmithError(
                f"duplicate key {key!r} (first written on line {result.lines[key]})",
                line=line, hint="keep one of the two; YAML would silently drop the first")
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_yaml(text: str, file: str | Path, first_line: int = 1) -> Any:
    """Parse YAML ``text`` from ``file``; errors name the file and line.

    ``first_line`` is the line of ``file`` the text starts on (for front matter).
    """
    offset = first_line - 1
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except LettersmithError as err:
        err.file = str(file)
        err.line = (err.line or 0) + offset
        raise
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 + offset if mark else None
        problem = err.problem or err.context or "not valid YAML"
        raise LettersmithError(
            f"this is not valid YAML: {problem}", file=file, line=line,
            hint="check the indentation and quoting on that line and the one before it "
                 "(a value with ':' or starting with '@', '*' or '[' needs quotes)") from None
    except yaml.YAMLError as err:
        raise LettersmithError(f"this is not valid YAML: {err}", file=file) from None
    if offset:
        _shift(data, offset)
    return data


def _shift(data: Any, offset: int) -> None:
    if isinstance(data, LineDict):
        data.line += offset
        data.lines = {k: v + offset for k, v in data.lines.items()}
        for value in data.values():
            _shift(value, offset)
    elif isinstance(data, LineList):
        data.line += offset
        data.lines = [v + offset for v in data.lines]
        for value in data:
            _shift(value, offset)


def line_of(container: Any, key: object, default: int | None = None) -> int | None:
    """The line of ``key`` in a LineDict/LineList, or ``default``."""
    if isinstance(container, LineDict):
        return container.line_of(key)
    if isinstance(container, LineList) and isinstance(key, int):
        return container.line_of(key)
    return getattr(container, "line", default) or default
