"""The shapes and types of library item fields, checked once when an item is read.

A field of the wrong type (``vars: 5``, ``columns: two``, ``author: 5``, a CSL
date with month 13) becomes an error on the item naming the field's line and
the fix, so nothing downstream meets a value it cannot use.
"""
from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, Callable

from .errors import LettersmithError

SCALAR = (str, int, float, dt.date)
CSL_NAMES = {"author", "editor", "translator", "director", "recipient", "interviewer",
             "container-author", "collection-editor", "composer", "reviewed-author",
             "editorial-director", "illustrator", "original-author"}
CSL_DATES = {"issued", "accessed", "event-date", "original-date", "submitted",
             "available-date"}
NAME_PARTS = {"family", "given", "literal", "suffix", "dropping-particle",
              "non-dropping-particle", "comma-suffix", "static-ordering", "parse-names"}


def _text(value: Any) -> str | None:
    return None if isinstance(value, SCALAR) and not isinstance(value, bool) else \
        "a single value (text or a number)"


def _text_list(value: Any) -> str | None:
    if isinstance(value, list):
        return next(("a list of single values" for v in value if _text(v)), None)
    return _text(value)


def _mapping(value: Any) -> str | None:
    return None if isinstance(value, dict) else "a mapping of names to values (name: value)"


def _count(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        return "a whole number from 1 to 12"
    return None


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def _signers(value: Any) -> str | None:
    if not isinstance(value, list):
        return "a list of signers (names, or mappings with name and title)"
    for entry in value:
        if isinstance(entry, dict):
            if _text(entry.get("name")) or not str(entry.get("name")).strip():
                return "a list of signers, each with a name"
        elif _text(entry):
            return "a list of signers (names, or mappings with name and title)"
    return None


def _names(value: Any) -> str | None:
    expected = "a list of names: '- family: Smith' with 'given: Ann', or '- literal: An Org'"
    for person in value if isinstance(value, list) else [value]:
        if isinstance(person, str):
            continue
        if not isinstance(person, dict) or not person:
            return expected
        if any(k not in NAME_PARTS or _text(v) for k, v in person.items()):
            return expected
    return None


def _csl_date(value: Any) -> str | None:
    expected = ("a date: YYYY, YYYY-MM or YYYY-MM-DD, or "
                "'date-parts: [[YYYY, M, D]]' with a real month and day")
    if isinstance(value, dt.date):
        return None
    if isinstance(value, str):
        return None  # free text is printed as written ("Spring 2021")
    if isinstance(value, dict):
        if "literal" in value or "raw" in value:
            return _text(value.get("literal", value.get("raw")))
        parts = value.get("date-parts")
        if not isinstance(parts, list) or not parts:
            return expected
        return next((expected for p in parts if not _date_parts_ok(p)), None)
    if isinstance(value, list):
        return None if _date_parts_ok(value) else expected
    return expected


def _date_parts_ok(parts: Any) -> bool:
    if not isinstance(parts, list) or not 1 <= len(parts) <= 3:
        return False
    try:
        numbers = [int(p) for p in parts]
    except (TypeError, ValueError):
        return False
    if any(isinstance(p, (bool, float)) or isinstance(p, str) and not p.strip().isdigit()
           for p in parts):
        return False
    year = numbers[0]
    if not 1 <= year <= 9999:
        return False
    if len(numbers) > 1 and not 1 <= numbers[1] <= 12:
        return False
    if len(numbers) > 2 and not 1 <= numbers[2] <= calendar.monthrange(year, numbers[1])[1]:
        return False
    return True


Check = Callable[[Any], "str | None"]
RULES: dict[str, dict[str, Check]] = {
    "argument": {"vars": _mapping, "title": _text, "tags": _text_list, "origin": _text,
                 "description": _text},
    "quote": {"text": _text, "speaker": _text, "speaker-kind": _text, "source": _text,
              "date": _text, "locator": _text, "context": _text, "title": _text,
              "organization": _text, "attribution": _text},
    "fact": {"text": _text, "as-of": _text, "source": _text, "locator": _text, "context": _text},
    "recipient": {"name": _text, "title": _text, "organization": _text, "address": _text_list,
                  "salutation": _text, "email": _text, "short-name": _text},
    "signatories": {"title": _text, "columns": _count, "per-row": _count, "sort": _bool,
                    "signers": _signers},
    "organization": {"name": _text, "short-name": _text, "about": _text, "contact": _text,
                     "url": _text},
}


def _also_at(value: Any) -> str | None:
    """``also-at: {name: {CSL fields}}``: each address's fields follow the source's rules."""
    expected = "a mapping of address names to CSL fields (also-at: {medium: {URL: ...}})"
    if not isinstance(value, dict) or any(not isinstance(v, dict) for v in value.values()):
        return expected
    for fields in value.values():
        for key, field in fields.items():
            problem = None if field is None else _source_rule(str(key))(field)
            if problem:
                return f"{expected}, with {key} {problem}"
    return None


def _source_rule(key: str) -> Check:
    if key == "also-at":
        return _also_at
    if key in CSL_NAMES:
        return _names
    if key in CSL_DATES:
        return _csl_date
    return _text


def field_problems(kind: str, item_id: str, data: Any, line: int) -> list[LettersmithError]:
    """One error per field whose value has the wrong shape (the caller sets ``file``)."""
    problems = []
    rules = RULES.get(kind, {})
    for key, value in data.items():
        if value is None:
            continue
        rule = _source_rule(str(key)) if kind == "source" else rules.get(key)
        expected = rule(value) if rule else None
        if expected:
            where = data.line_of(key) if hasattr(data, "line_of") else line
            shown_value = repr(value)
            if len(shown_value) > 60:
                shown_value = shown_value[:57] + "..."
            problems.append(LettersmithError(
                f"{key} of {kind} {item_id!r} should be {expected}, not {shown_value}",
                line=where, hint=f"fix the value of '{key}:'"))
    return problems
