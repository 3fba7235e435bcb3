"""From a sheet's row to one letter's recipient and variables.

Headers map to the recipient's fields ignoring case, spaces and punctuation,
with common synonyms (``Agency`` is the organization, ``Sheriff`` the name);
``--map field=COLUMN`` names the rest.  Every cell is also a template variable:
``row["SUPPORT TYPE"]`` and ``row.support_type``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import LettersmithError, suggest
from .table import UNMATCHED, Row, Table, column_named, find_column, norm, slug

# field -> header synonyms (compared by ``norm``), most specific first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "recipientname", "recipient", "contactname", "contact",
             "addressee", "official", "sheriff", "sheriffname"),
    "title": ("title", "jobtitle", "position", "role"),
    "organization": ("organization", "organisation", "org", "agency", "lawenforcementagency",
                     "office", "department", "company", "board"),
    "salutation": ("salutation", "greeting", "dear"),
    "email": ("email", "emailaddress", "mail", "contactemail"),
    "address": ("address", "streetaddress", "mailingaddress", "street", "address1",
                "addressline1", "address2", "addressline2", "address3", "addressline3"),
    "city": ("city", "town"),
    "state": ("state", "st"),
    "zip": ("zip", "zipcode", "postalcode", "postcode"),
}
FIELDS = tuple(SYNONYMS)
REQUIRED = ("name",)


class RowVars(dict):
    """A row's cells for templates: by header and by slug (``row.support_type``);
    ``row["Support Type"]`` finds the ``SUPPORT TYPE`` column too."""

    def __missing__(self, key: object) -> str:
        wanted = norm(str(key))
        for header, value in self.items():
            if norm(header) == wanted:
                return value
        raise KeyError(key)


class BadRow(LettersmithError):
    """A row that cannot become a letter: names the row and the column."""

    def __init__(self, table: str, row: Row, column: str, message: str, hint: str) -> None:
        where = row.where + (f", column {column}" if column else "")
        super().__init__(f"{where}: {message}", file=table, hint=hint)
        self.row_where, self.column = row.where, column


@dataclass
class Mapping:
    """Which column holds each recipient field (address may be several)."""

    columns: dict[str, list[str]] = field(default_factory=dict)

    def first(self, name: str) -> str | None:
        found = self.columns.get(name)
        return found[0] if found else None


def build_mapping(table: Table, overrides: list[str]) -> Mapping:
    """Headers to fields by synonym, then ``--map field=COLUMN`` on top."""
    mapping = Mapping()
    by_norm = {norm(c): c for c in table.columns}
    for name, synonyms in SYNONYMS.items():
        found = [by_norm[s] for s in synonyms if s in by_norm]
        if found:
            mapping.columns[name] = found if name == "address" else found[:1]
    for spec in overrides:
        name, sep, column = spec.partition("=")
        name = name.strip().lower()
        if not sep or not column.strip():
            raise LettersmithError(f"--map {spec!r} is not field=COLUMN",
                                   hint="e.g. --map name=SHERIFF --map organization='LAW ENFORCEMENT AGENCY'")
        if name not in SYNONYMS:
            raise LettersmithError(f"--map: no recipient field {name!r}",
                                   hint=suggest(name, FIELDS) or "fields: " + ", ".join(FIELDS))
        columns = [column_named(table, c.strip()) for c in column.split(",")]
        mapping.columns[name] = columns
    return mapping


def row_vars(row: Row) -> RowVars:
    """Every cell by its header and by its slug."""
    out = RowVars()
    for header, value in row.cells.items():
        if header == UNMATCHED:
            continue
        out[header] = value
        out.setdefault(slug(header), value)
    return out


def recipient(table: Table, row: Row, mapping: Mapping) -> dict[str, Any]:
    """The recipient mapping a brief's ``to:`` would hold for this row."""
    if UNMATCHED in row.cells:
        column, other = row.cells[UNMATCHED].split("|", 1)
        raise BadRow(table.source, row, column,
                     f"no row of {other} matches {row.cells.get(column, '')!r}",
                     f"add a row for it to {other}, or leave it out with --where")
    cells = row.cells

    def get(name: str) -> str:
        column = mapping.first(name)
        return cells.get(column, "") if column else ""

    for name in REQUIRED:
        if not get(name):
            column = mapping.first(name)
            if column is None:
                raise BadRow(table.source, row, "", f"no column holds the recipient's {name}",
                             f"name it with --map {name}=COLUMN (columns: "
                             + ", ".join(table.columns) + ")")
            raise BadRow(table.source, row, column, f"the recipient's {name} is empty",
                         f"fill in {column} in {row.where}, or leave the row out with --where")
    to: dict[str, Any] = {"name": get("name")}
    for name in ("title", "organization", "salutation", "email"):
        if get(name):
            to[name] = get(name)
    lines = [line for column in mapping.columns.get("address", [])
             for line in cells.get(column, "").splitlines() if line.strip()]
    city, state, zipcode = get("city"), get("state"), get("zip")
    if city:
        lines.append(city + (f", {state}" if state else "") + (f" {zipcode}" if zipcode else ""))
    if lines:
        to["address"] = lines
    return to


def parse_where(specs: list[str], table: Table) -> list[tuple[str, set[str]]]:
    """``--where COLUMN=VALUE`` (repeatable; one column twice matches either value)."""
    conditions: dict[str, set[str]] = {}
    for spec in specs:
        column, sep, value = spec.partition("=")
        if not sep:
            raise LettersmithError(f"--where {spec!r} is not COLUMN=VALUE",
                                   hint="e.g. --where STATE=TX --where 'SUPPORT TYPE=Task Force Model'")
        header = column_named(table, column.strip())
        conditions.setdefault(header, set()).add(value.strip().casefold())
    return list(conditions.items())


def keep(row: Row, conditions: list[tuple[str, set[str]]]) -> bool:
    return all(row.cells.get(column, "").strip().casefold() in values
               for column, values in conditions)


_FIELD = re.compile(r"\{([^{}]+)\}")


def check_pattern(pattern: str, table: Table) -> None:
    """Every ``{column}`` of ``--name`` must be a column or a recipient field."""
    for key in _FIELD.findall(pattern):
        if key not in FIELDS:
            column_named(table, key)


def file_stem(pattern: str, row: Row, to: dict[str, Any], table: Table) -> str:
    """``{state}-{county}`` filled from the row, made safe for a file name."""
    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        column = find_column(tuple(table.columns), key)
        return row.cells.get(column, "") if column is not None else str(to.get(key, ""))

    text = _FIELD.sub(value, pattern)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-_").lower()
    return re.sub(r"-{2,}", "-", safe)[:120] or "letter"


def unique(stem: str, taken: set[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3``... when taken (case-insensitively)."""
    candidate, n = stem, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}-{n}"
    taken.add(candidate.lower())
    return candidate
