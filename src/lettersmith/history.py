"""What went out: every build recorded in ``<library>/.lettersmith/history.sqlite``.

One row per build (brief, letter date, recipient, subject, output files) and one
per item it used (kind, id, hash of its text), so "what have we sent to this
official?" and "where has this argument been used?" are one query each.  A
rebuild of an unchanged letter updates its row instead of adding another.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS builds (
  id INTEGER PRIMARY KEY,
  built_at TEXT NOT NULL,        -- when it was built (ISO, local time)
  brief TEXT NOT NULL,           -- the brief's absolute path
  letter_date TEXT NOT NULL,     -- the date on the letter
  recipient_id TEXT NOT NULL,    -- the recipient's library id, or '' when written out
  recipient TEXT NOT NULL,       -- the recipient's name
  subject TEXT NOT NULL,
  outputs TEXT NOT NULL,         -- JSON list of the files written
  fingerprint TEXT NOT NULL      -- hash of everything above but built_at/outputs, and of the items
);
CREATE TABLE IF NOT EXISTS used (
  build_id INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,            -- argument, source, quote, fact, recipient, signatories
  item_id TEXT NOT NULL,
  hash TEXT NOT NULL,            -- of the text as it went out
  PRIMARY KEY (build_id, kind, item_id)
);
CREATE INDEX IF NOT EXISTS used_item ON used(item_id);
CREATE INDEX IF NOT EXISTS builds_recipient ON builds(recipient_id);
"""


@dataclass
class Sent:
    """One recorded build."""

    id: int
    built_at: str
    brief: str
    letter_date: str
    recipient_id: str
    recipient: str
    subject: str
    outputs: list[str]
    items: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # kind -> (id, hash)


def db_path(library_root: Path) -> Path:
    return library_root / ".lettersmith" / "history.sqlite"


def connect(library_root: Path, create: bool = True) -> sqlite3.Connection | None:
    """The history database of a library (None when there is none and ``create`` is off)."""
    path = db_path(library_root)
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.executescript(SCHEMA)
    return conn


def _hash(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]


def used_items(letter: Any) -> list[tuple[str, str, str]]:
    """(kind, id, hash) of every item a built letter used; arguments hash their rendered text."""
    out: dict[tuple[str, str], str] = {}
    for kind, ids in letter.draft.used.items():
        for item_id in ids:
            item = letter.library.items.get(item_id)
            if kind == "argument" and item_id in letter.draft.snippets:
                digest = letter.draft.snippets[item_id].get("hash") or _hash(item_id)
            elif item is not None:
                digest = _hash(item.data.get("text") or dict(item.data))
            else:
                continue
            out[(kind, item_id)] = digest
    for kind, key in (("recipient", "to"), ("signatories", "signatories")):
        value = letter.brief.get(key)
        if isinstance(value, str) and value in letter.library.items:
            out[(kind, value)] = _hash(dict(letter.library.items[value].data))
    return [(kind, item_id, digest) for (kind, item_id), digest in out.items()]


def record_build(letter: Any, paths: list[Path]) -> None:
    """Record one build in its library's history; never fails the build."""
    try:
        _record(letter, paths)
    except (sqlite3.Error, OSError) as err:
        import click
        click.echo(f"warning: the build was not recorded in the history: {err}", err=True)


def _record(letter: Any, paths: list[Path]) -> None:
    brief = letter.brief
    to = brief.get("to")
    recipient_id = to if isinstance(to, str) else ""
    items = sorted(used_items(letter))
    row = {
        "brief": str(Path(brief.path).resolve()), "letter_date": brief.date.isoformat(),
        "recipient_id": recipient_id, "recipient": str(letter.draft.recipient.get("name", "")),
        "subject": str(brief.get("subject") or ""),
    }
    fingerprint = _hash(json.dumps([row, items]))
    outputs = json.dumps([str(Path(p).resolve()) for p in paths])
    now = dt.datetime.now().isoformat(timespec="seconds")
    conn = connect(letter.library.root)
    assert conn is not None
    with closing(conn), conn:
        last = conn.execute("SELECT id, fingerprint, outputs FROM builds WHERE brief = ? "
                            "ORDER BY id DESC LIMIT 1", (row["brief"],)).fetchone()
        if last and last[1] == fingerprint:
            merged = list(dict.fromkeys(json.loads(last[2]) + json.loads(outputs)))
            conn.execute("UPDATE builds SET built_at = ?, outputs = ? WHERE id = ?",
                         (now, json.dumps(merged), last[0]))
            return
        cur = conn.execute(
            "INSERT INTO builds (built_at, brief, letter_date, recipient_id, recipient, subject, "
            "outputs, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (now, row["brief"], row["letter_date"], row["recipient_id"], row["recipient"],
             row["subject"], outputs, fingerprint))
        conn.executemany("INSERT INTO used (build_id, kind, item_id, hash) VALUES (?, ?, ?, ?)",
                         [(cur.lastrowid, kind, item_id, digest) for kind, item_id, digest in items])


def query(library_root: Path, *, recipient: str | None = None,
          snippet: str | None = None) -> list[Sent]:
    """Recorded builds, newest first; ``recipient`` matches an id or part of a name,
    ``snippet`` any item id the build used."""
    conn = connect(library_root, create=False)
    if conn is None:
        return []
    sql = ("SELECT id, built_at, brief, letter_date, recipient_id, recipient, subject, outputs "
           "FROM builds WHERE 1=1")
    args: list[Any] = []
    if recipient:
        sql += " AND (recipient_id = ? OR recipient LIKE ?)"
        args += [recipient, f"%{recipient}%"]
    if snippet:
        sql += " AND id IN (SELECT build_id FROM used WHERE item_id = ?)"
        args.append(snippet)
    sql += " ORDER BY letter_date DESC, built_at DESC"
    with closing(conn):
        rows = conn.execute(sql, args).fetchall()
        found = [Sent(*row[:7], outputs=json.loads(row[7])) for row in rows]
        for sent in found:
            for kind, item_id, digest in conn.execute(
                    "SELECT kind, item_id, hash FROM used WHERE build_id = ? ORDER BY kind, item_id",
                    (sent.id,)):
                sent.items.setdefault(kind, []).append((item_id, digest))
    return found


# ------------------------------------------------------------------ replaced texts
# ``review --apply library`` keeps here every snippet text it replaces (its own
# table, created on first use), so the old wording stays retrievable.

REPLACED_SCHEMA = """
CREATE TABLE IF NOT EXISTS replaced (
  at TEXT NOT NULL,              -- when (ISO, local time)
  item_id TEXT NOT NULL,
  file TEXT NOT NULL,            -- the file as it was (absolute path)
  text TEXT NOT NULL,            -- the whole file text before the change
  why TEXT NOT NULL              -- e.g. "review of edited.docx"
);
"""


def record_replaced(library_root: Path, item_id: str, file: Path, text: str, why: str) -> None:
    """Keep a snippet's text before it is replaced."""
    conn = connect(library_root)
    assert conn is not None
    with closing(conn), conn:
        conn.executescript(REPLACED_SCHEMA)
        conn.execute("INSERT INTO replaced (at, item_id, file, text, why) VALUES (?, ?, ?, ?, ?)",
                     (dt.datetime.now().isoformat(timespec="seconds"), item_id,
                      str(Path(file).resolve()), text, why))


def replaced_texts(library_root: Path, item_id: str) -> list[tuple[str, str, str]]:
    """(when, why, text) of every earlier text of ``item_id``, newest first."""
    conn = connect(library_root, create=False)
    if conn is None:
        return []
    with closing(conn):
        conn.executescript(REPLACED_SCHEMA)
        return conn.execute("SELECT at, why, text FROM replaced WHERE item_id = ? "
                            "ORDER BY rowid DESC", (item_id,)).fetchall()
