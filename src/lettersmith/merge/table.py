"""Reading the recipients of a merge: a .csv, an .xlsx sheet, a YAML list, or the
recipients of one library file; and joining a second sheet onto the first.

Every row keeps where it was written (``row 7`` as a spreadsheet shows it, or
``line 12`` of a YAML file) so a bad row can be named.  Cells are text: an
empty cell is no value at all, a date is written YYYY-MM-DD.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LettersmithError, suggest
from ..yamlfile import LineDict, load_yaml


@dataclass
class Row:
    """One recipient row: where it is and its cells by column header."""

    where: str  # "row 7" or "line 12"
    cells: dict[str, str]
    recipient_id: str = ""  # a library recipient's id, when the row is one


@dataclass
class Table:
    source: str  # as the user named it
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


def norm(header: str) -> str:
    """A header compared ignoring case, spaces and punctuation."""
    return re.sub(r"[^a-z0-9]", "", str(header).lower())


def slug(header: str) -> str:
    """The variable form of a header: ``SUPPORT TYPE`` -> ``support_type``."""
    return re.sub(r"[^a-z0-9]+", "_", str(header).lower()).strip("_")


def cell_text(value: Any) -> str:
    """A cell as text: None is empty, dates are ISO, 12.0 is 12."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def split_source(spec: str) -> tuple[Path, str | None]:
    """``book.xlsx#Contacts`` -> (path, sheet)."""
    path, _, sheet = spec.partition("#")
    return Path(path), (sheet or None)


def read_table(spec: str, library: Any = None) -> Table:
    """The rows of a .csv/.tsv, an .xlsx (``file.xlsx#Sheet``), a YAML list, or the
    recipients of a library file named by its stem (``recipients``)."""
    path, sheet = split_source(spec)
    suffix = path.suffix.lower()
    if path.is_file():
        if suffix in (".csv", ".tsv", ".txt"):
            return _read_csv(path, spec, "\t" if suffix == ".tsv" else ",")
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path, spec, sheet)
        if suffix in (".yaml", ".yml"):
            return _read_yaml(path, spec)
        raise LettersmithError("recipients must be a .csv, .xlsx or .yaml file", file=spec,
                               hint="save the sheet as .xlsx or CSV (UTF-8)")
    if library is not None and not suffix and "/" not in spec:
        return _read_library(spec, library)
    raise LettersmithError("no such recipients file", file=spec,
                           hint="give a .csv, .xlsx or .yaml file, or the name of a library file "
                                "holding recipients: (e.g. 'recipients')")


def _check_headers(headers: list[str], spec: str, where: str) -> list[str]:
    seen: dict[str, str] = {}
    out = []
    for i, header in enumerate(headers):
        header = cell_text(header) or f"column {i + 1}"
        if norm(header) in seen:
            raise LettersmithError(f"two columns are called {header!r} ({where})", file=spec,
                                   hint="rename one of them; headers are compared ignoring "
                                        "case, spaces and punctuation")
        seen[norm(header)] = header
        out.append(header)
    return out


def _rows(spec: str, headers: list[str], records: list[tuple[str, list[Any]]]) -> Table:
    table = Table(spec, headers)
    for where, values in records:
        cells = {h: cell_text(v) for h, v in zip(headers, values)}
        cells = {h: v for h, v in cells.items() if v}
        if cells:
            table.rows.append(Row(where, cells))
    return table


def _read_csv(path: Path, spec: str, delimiter: str) -> Table:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise LettersmithError("the file is not UTF-8 text", file=spec,
                               hint="save it as 'CSV UTF-8' from the spreadsheet") from None
    first = text.split("\n", 1)[0]
    if delimiter == "," and "," not in first and ";" in first:
        delimiter = ";"  # a spreadsheet set to a comma-decimal locale writes ';'
    records = list(csv.reader(text.splitlines(), delimiter=delimiter))
    if not records:
        raise LettersmithError("the sheet is empty", file=spec, hint="the first row names the columns")
    headers = _check_headers(records[0], spec, "row 1")
    return _rows(spec, headers, [(f"row {n}", r) for n, r in enumerate(records[1:], start=2)])


def _read_xlsx(path: Path, spec: str, sheet: str | None) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for foreign files
        raise LettersmithError(f"cannot read the workbook: {exc}", file=spec,
                               hint="save it from the spreadsheet as .xlsx") from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise LettersmithError(f"no sheet called {sheet!r}", file=spec,
                                   hint=suggest(sheet, book.sheetnames)
                                   or "sheets: " + ", ".join(book.sheetnames))
        header_row, headers, records = 0, [], []
        for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if not header_row:  # the first row with two or more cells names the columns
                if sum(1 for v in values if cell_text(v)) >= 2:
                    header_row, headers = n, _check_headers(list(values), spec, f"row {n}")
                continue
            records.append((f"row {n}", list(values)))
    finally:
        book.close()
    if not header_row:
        raise LettersmithError("the sheet has no header row", file=spec,
                               hint="the first row names the columns")
    return _rows(spec, headers, records)


def _read_yaml(path: Path, spec: str) -> Table:
    data = load_yaml(path.read_text(encoding="utf-8"), spec)
    if isinstance(data, dict) and isinstance(data.get("recipients"), list):
        data = data["recipients"]
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise LettersmithError("a recipients YAML file is a list of mappings (one per "
                               "recipient)", file=spec, line=getattr(data, "line", 1),
                               hint="- {name: Jane Doe, title: Sheriff, county: Travis}")
    table = Table(spec, [])
    for index, entry in enumerate(data):
        line = data.line_of(index) if hasattr(data, "line_of") else index + 1
        for key in entry:
            if str(key) not in table.columns:
                table.columns.append(str(key))
        table.rows.append(Row(f"line {line}", _yaml_cells(entry),
                              recipient_id=""))
    return table


def _yaml_cells(entry: dict[str, Any]) -> dict[str, str]:
    cells = {}
    for key, value in entry.items():
        if isinstance(value, list):
            value = "\n".join(cell_text(v) for v in value)
        text = cell_text(value)
        if text:
            cells[str(key)] = text
    return cells


def _read_library(name: str, library: Any) -> Table:
    files: dict[str, list[Any]] = {}
    for item in library.of_kind("recipient"):
        files.setdefault(item.file.stem, []).append(item)
    if name not in files:
        raise LettersmithError(f"no library file {name!r} holds recipients", file=name,
                               hint=suggest(name, files) or "files with recipients: "
                               + ", ".join(sorted(files)))
    table = Table(name, [])
    for item in files[name]:
        data = item.data
        for key in data:
            if str(key) not in table.columns and key != "id":
                table.columns.append(str(key))
        cells = _yaml_cells({k: v for k, v in data.items() if k != "id"})
        table.rows.append(Row(f"line {item.line}", cells, recipient_id=item.id))
    return table


def join(table: Table, other: Table, on: str | None) -> Table:
    """``table`` with the cells of ``other``'s matching row added (by column ``on``,
    default the first column both share); a row with no match is marked."""
    shared = [c for c in table.columns if norm(c) in {norm(o) for o in other.columns}]
    if on is None:
        if not shared:
            raise LettersmithError("the joined sheet shares no column with the recipients",
                                   file=other.source,
                                   hint="name the column to match on with --on COLUMN")
        on = shared[0]
    left = column_named(table, on)
    right = column_named(other, on)
    index: dict[str, Row] = {}
    for row in other.rows:
        key = row.cells.get(right, "").strip().casefold()
        if key:
            index.setdefault(key, row)
    extra = [c for c in other.columns if norm(c) not in {norm(t) for t in table.columns}]
    out = Table(table.source, table.columns + extra)
    for row in table.rows:
        match = index.get(row.cells.get(left, "").strip().casefold())
        cells = dict(row.cells)
        if match is None:
            cells[UNMATCHED] = f"{left}|{other.source}"
        else:
            for column in extra:
                if column in match.cells:
                    cells[column] = match.cells[column]
        out.rows.append(Row(row.where, cells, row.recipient_id))
    return out


UNMATCHED = "\0unmatched"  # a cell key no header can have: the row found no join partner


@functools.lru_cache(maxsize=256)
def find_column(columns: tuple[str, ...], name: str) -> str | None:
    """The header among ``columns`` matching ``name`` (ignoring case, spaces,
    punctuation), or None; kept, since a merge asks it again for every row."""
    for column in columns:
        if norm(column) == norm(name) or slug(column) == name:
            return column
    return None


def column_named(table: Table, name: str) -> str:
    """The header of ``table`` matching ``name`` (ignoring case, spaces, punctuation)."""
    found = find_column(tuple(table.columns), name)
    if found is not None:
        return found
    raise LettersmithError(f"no column {name!r}", file=table.source,
                           hint=suggest(name, table.columns) or "columns: " + ", ".join(table.columns))


