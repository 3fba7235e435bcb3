"""Reading a brief's ``press:`` section strictly, with the key tables of
:mod:`lettersmith.brief` (unknown keys and wrong types name the line)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..brief import (LETTER_QUOTE_KEYS, PRESS_ITEM_KEYS, PRESS_ITEM_KINDS, PRESS_KEYS,
                     PRESS_SIGNER_KEYS, Brief)
from ..errors import LettersmithError, suggest
from ..yamlfile import LineDict, YamlFields


@dataclass
class Press(YamlFields):
    """The ``press:`` mapping of a brief, validated; ``data`` keeps its lines."""

    brief: Brief
    data: LineDict
    items: list[LineDict] = field(default_factory=list)
    letter_quotes: list[LineDict] = field(default_factory=list)

    @property
    def date(self) -> dt.date:
        value = self.data.get("date")
        if value is None:
            return self.brief.date
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise LettersmithError(f"press date {value!r} is not a date", file=self.brief.path,
                                   line=self.line("date"), hint="write it as YYYY-MM-DD") from None

    @property
    def signers(self) -> LineDict:
        return self.data.get("signers") or LineDict()


def _check_keys(brief: Brief, mapping: Any, table: dict[str, Any], where: str,
                line: int) -> None:
    """Every key of ``mapping`` is in ``table`` and has one of its types."""
    if not isinstance(mapping, dict):
        raise LettersmithError(f"{where} should be a mapping", file=brief.path, line=line)
    for key, value in mapping.items():
        key_line = mapping.line_of(key) if isinstance(mapping, LineDict) else line
        if key not in table:
            raise LettersmithError(f"unknown key {key!r} in {where}", file=brief.path,
                                   line=key_line,
                                   hint=suggest(str(key), table) or "allowed: " + ", ".join(table))
        spec = table[key]
        types = spec[0] if isinstance(spec[0], tuple) else spec
        if value is None or not isinstance(value, types) or (
                isinstance(value, bool) and bool not in types):
            names = " or ".join("a date" if t is dt.date else "text" if t is str else
                                "a number" if t is int else "true or false" if t is bool else
                                f"a {t.__name__}".replace("dict", "mapping") for t in types)
            raise LettersmithError(f"{where}.{key} should be {names}, not {value!r}"[:300],
                                   file=brief.path, line=key_line)


def read_press(brief: Brief) -> Press | None:
    """The brief's press section, or None when it has none."""
    data = brief.get("press")
    if data is None:
        return None
    line = brief.line("press")
    _check_keys(brief, data, PRESS_KEYS, "press", line)
    for key in ("headline",):
        if not data.get(key):
            raise LettersmithError(f"press needs a {key}", file=brief.path, line=line,
                                   hint=f"add '{key}:' under press:")
    _check_keys(brief, data.get("signers") or LineDict(), PRESS_SIGNER_KEYS, "press.signers",
                data.line_of("signers"))
    press = Press(brief, data)
    press.date  # noqa: B018 - validate early
    for key, table, target in (("letter-quotes", LETTER_QUOTE_KEYS, press.letter_quotes),
                               ("body", PRESS_ITEM_KEYS, press.items)):
        entries = data.get(key) or []
        for index, entry in enumerate(entries):
            where = f"press.{key} item {index + 1}"
            entry_line = entries.line_of(index) if hasattr(entries, "line_of") else line
            if isinstance(entry, str) and key == "body":
                entry = LineDict({"text": entry})
                entry.line, entry.lines = entry_line, {"text": entry_line}
            _check_keys(brief, entry, table, where, entry_line)
            if key == "body":
                kinds = [k for k in entry if k in PRESS_ITEM_KINDS]
                if len(kinds) != 1:
                    raise LettersmithError(f"{where} must have exactly one of: "
                                           + ", ".join(PRESS_ITEM_KINDS), file=brief.path,
                                           line=entry_line)
            elif ("words" in entry) == ("sentence" in entry):
                raise LettersmithError(f"{where} needs words: (the letter's words) or "
                                       "sentence: N with from: BLOCK-ID", file=brief.path,
                                       line=entry_line)
            elif "sentence" in entry and "from" not in entry:
                raise LettersmithError(f"{where}: sentence: needs from: (the argument id it "
                                       "counts sentences in)", file=brief.path, line=entry_line)
            target.append(entry)
    return press
