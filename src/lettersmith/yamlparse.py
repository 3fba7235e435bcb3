"""Reading YAML with PyYAML: limits checked on the event stream first, then
line-keeping mappings and sequences, duplicate keys and unreadable values refused.

Imported only when a text is not in the disk cache (``yamlfile.load_yaml``), or
to report a mistake: PyYAML's import is a tenth of a one-letter ``build``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import LettersmithError
from .yamlfile import LineDict, LineList

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Limits checked on the event stream, before anything is built: a brief or a
# library file is small, so these only stop hostile or broken input.
MAX_DEPTH = 64  # nested mappings/sequences
MAX_ALIASES = 200  # *alias references in one document
MAX_NODES = 200_000  # nodes once every alias is expanded (a "billion laughs" stops here)


def _check_limits(text: str) -> None:
    """Walk the YAML events once, iteratively, refusing deep nesting and alias bombs.

    libyaml's parser keeps its own stack, so this pass cannot overflow; the
    recursive composer and constructor only ever see a document that passed it.
    """
    sizes: dict[str, int] = {}  # anchor -> expanded node count
    stack: list[list] = []  # [anchor, node count so far, start line]
    aliases = 0
    loader = _Base(text)
    try:
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind in _OPEN:
                if len(stack) >= MAX_DEPTH:
                    raise LettersmithError(
                        f"the YAML is nested more than {MAX_DEPTH} levels deep",
                        line=event.start_mark.line + 1,
                        hint="a brief or library file needs only a few levels; "
                             "check for unclosed [ or { brackets")
                stack.append([event.anchor, 1, event.start_mark.line + 1])
                continue
            if kind is yaml.ScalarEvent:
                anchor, weight = event.anchor, 1
            elif kind in _CLOSE:
                anchor, weight, _ = stack.pop()
            elif kind is yaml.AliasEvent:
                aliases += 1
                if aliases > MAX_ALIASES or event.anchor not in sizes:
                    raise LettersmithError(
                        f"more than {MAX_ALIASES} YAML aliases (*name)" if aliases > MAX_ALIASES
                        else f"the alias *{event.anchor} is used before its anchor &{event.anchor}",
                        line=event.start_mark.line + 1,
                        hint="write the values out instead of repeating them with &anchor/*alias")
                anchor, weight = None, sizes[event.anchor]
            elif event is None:
                break
            else:
                continue
            if anchor:
                sizes[anchor] = weight
            if stack:
                top = stack[-1]
                top[1] += weight
                if top[1] > MAX_NODES:
                    raise LettersmithError(
                        f"the YAML expands to more than {MAX_NODES:,} values "
                        "(aliases repeating aliases)", line=top[2],
                        hint="write the values out instead of nesting &anchor/*alias")
    finally:
        loader.dispose()


_OPEN = {yaml.MappingStartEvent, yaml.SequenceStartEvent}
_CLOSE = {yaml.MappingEndEvent, yaml.SequenceEndEvent}


class _Loader(_Base):  # type: ignore[misc, valid-type]
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Every value is built here: a value YAML cannot make (February 30,
        year 0, ``!!float abc``) becomes an error naming its line."""
        try:
            return super().construct_object(node, deep=deep)
        except LettersmithError:
            raise
        except (ValueError, TypeError, OverflowError) as err:
            tag = node.tag.rsplit(":", 1)[-1]
            value = node.value if isinstance(node, yaml.ScalarNode) else ""
            what = {"timestamp": "date or time", "float": "number", "int": "number"}.get(tag, tag)
            detail = getattr(err, "problem", None) or str(err)
            raise LettersmithError(
                f"{value!r} is not a valid {what}: {detail}"[:300] if value
                else f"this value cannot be read: {detail}"[:300],
                line=node.start_mark.line + 1,
                hint=("write a real date as YYYY-MM-DD (e.g. 2023-02-28), or " if tag == "timestamp"
                      else "") + "put the value in quotes to keep it as text") from None


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise LettersmithError(
                "a key must be a single word or value, not a list or mapping", line=line,
                hint="write 'name: value'; a line starting with '? ' or a key in [ ] or { } "
                     "makes a list a key")
        key = loader.construct_object(key_node, deep=True)
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


def parse(text: str, file: str | Path, offset: int) -> Any:
    """Parse YAML ``text`` from ``file`` (lines not yet moved by ``offset``; errors
    name the file and the line, moved)."""
    try:
        _check_limits(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
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
