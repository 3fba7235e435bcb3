"""What went out: every build recorded in ``<library>/.lettersmith/history.sqlite``.

One row per build (brief, letter date, recipient, subject, output files, the
merge it belongs to) and one per item it used (kind, id, hash of its text), so
"what have we sent to this official?" and "where has this argument been used?"
are one query each.  A rebuild of an unchanged letter updates its row instead of
adding another.  Safe under parallel writers: WAL, a busy timeout, one
``BEGIN IMMEDIATE`` transaction per batch, and a ``schema_version`` table that
later migrations build on.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .safefiles import resolved

SCHEMA_VERSION = 3
# Each entry brings the database from version N-1 to N; a new column or table
# is a new entry, so an older history file is upgraded in place when opened.
MIGRATIONS: dict[int, str] = {
    1: """
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
""",
    2: """
ALTER TABLE builds ADD COLUMN merge_id TEXT NOT NULL DEFAULT '';  -- the merge it belongs to
CREATE TABLE IF NOT EXISTS merges (
  id TEXT PRIMARY KEY,           -- merge id, also in builds.merge_id
  started_at TEXT NOT NULL,
  brief TEXT NOT NULL,
  recipients TEXT NOT NULL,      -- the spreadsheet, YAML file or library list it read
  letters INTEGER NOT NULL DEFAULT 0
);
DELETE FROM builds WHERE id NOT IN (SELECT MAX(id) FROM builds GROUP BY brief, fingerprint);
CREATE UNIQUE INDEX IF NOT EXISTS builds_letter ON builds(brief, fingerprint);
CREATE INDEX IF NOT EXISTS builds_merge ON builds(merge_id);
""",
    3: """
CREATE TABLE IF NOT EXISTS sent (  -- which builds went out (sent.py): a build is a draft
  id INTEGER PRIMARY KEY,
  build_id INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
  sent_on TEXT NOT NULL,         -- the day it went out (ISO date)
  recipient_id TEXT NOT NULL,    -- the library id it went to, or ''
  recipient TEXT NOT NULL,       -- the name it went to
  marked_at TEXT NOT NULL,       -- when it was marked sent (ISO, local time)
  UNIQUE (build_id, recipient_id, recipient, sent_on)
);
CREATE INDEX IF NOT EXISTS sent_build ON sent(build_id);
""",
}
# how long a build waits for another writer before a clear error
def busy_timeout_ms() -> int:
    """How long a writer waits for the database (read when used: a resident server's
    worker takes its client's environment)."""
    return int(os.environ.get("LETTERSMITH_HISTORY_WAIT_MS", "30000"))


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
    merge_id: str = ""  # the merge this letter was part of, or ''
    items: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # kind -> (id, hash)


def db_path(library_root: Path) -> Path:
    """``<library>/.lettersmith/history.sqlite``, or the file $LETTERSMITH_HISTORY names
    (tests and trial runs point it elsewhere so a library's record stays what went out)."""
    override = os.environ.get("LETTERSMITH_HISTORY")
    return Path(override) if override else library_root / ".lettersmith" / "history.sqlite"


def connect(library_root: Path, create: bool = True) -> sqlite3.Connection | None:
    """The history database of a library (None when there is none and ``create`` is off)."""
    path = db_path(library_root)
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        wait = busy_timeout_ms()
        conn = sqlite3.connect(path, timeout=wait / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {wait}")
        _set_up(conn)
    except sqlite3.DatabaseError as err:  # not a database, damaged, or locked too long
        from .errors import LettersmithError
        locked = "locked" in str(err)
        raise LettersmithError(
            f"the history database cannot be used: {err}", file=path,
            hint="another lettersmith is writing it; try again in a moment" if locked else
            "it is damaged: move it aside (lettersmith starts a new one) and keep the copy") from None
    return conn


def _set_up(conn: sqlite3.Connection) -> None:
    """WAL, its pragmas and the migrations.  Two processes opening a new database at
    once can get "locked" from the switch to WAL without SQLite calling the busy
    handler, so the set-up is tried again until the busy timeout has passed."""
    deadline = time.monotonic() + busy_timeout_ms() / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")  # readers never block the writer
            # WAL's documented pairing: no fsync per commit (one at checkpoints); the
            # file cannot be corrupted, a power cut may only lose the last records.
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the database to ``SCHEMA_VERSION``, one migration per transaction."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    while True:
        conn.execute("BEGIN IMMEDIATE")  # one migrator at a time; the others wait
        try:
            row = conn.execute("SELECT version FROM schema_version").fetchone()
            version = row[0] if row else 0
            if version >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                return
            for statement in _statements(MIGRATIONS[version + 1]):
                try:
                    conn.execute(statement)
                except sqlite3.OperationalError as err:
                    if "duplicate column" not in str(err):  # a v1 file made before versions
                        raise
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version VALUES (?)", (version + 1,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _hash(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]


def used_items(letter: Any) -> list[tuple[str, str, str]]:
    """(kind, id, hash) of every item a built letter used; arguments hash their rendered text."""
    out: dict[tuple[str, str], str] = {}
    for kind, ids in letter.draft.used.items():
        for item_id in ids:
            if (kind, item_id) in out:
                continue  # cited again: the same item, the same hash
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


@dataclass
class Record:
    """What one letter adds to the history (plain data: made in a worker process)."""

    row: dict[str, str]
    items: list[tuple[str, str, str]]
    outputs: list[str]
    fingerprint: str


def letter_record(letter: Any, paths: list[Path], merge_id: str = "") -> Record:
    """The history record of a built letter written to ``paths``."""
    brief = letter.brief
    to = brief.get("to")
    items = sorted(used_items(letter))
    row = {
        "brief": resolved(str(brief.path)), "letter_date": brief.date.isoformat(),
        "recipient_id": to if isinstance(to, str) else "",
        "recipient": str(letter.draft.recipient.get("name", "")),
        "subject": str(brief.get("subject") or ""),
    }
    fingerprint = _hash(json.dumps([row, items]))
    row["merge_id"] = merge_id
    outputs = [str(Path(resolved(str(Path(p).parent))) / Path(p).name) for p in paths]
    return Record(row, items, outputs, fingerprint)


def record_build(letter: Any, paths: list[Path]) -> None:
    """Record one build in its library's history; never fails the build."""
    try:
        record_letters(letter.library.root, [letter_record(letter, paths)])
    except (sqlite3.Error, OSError) as err:
        import click
        click.echo(f"warning: the build was not recorded in the history: {err}", err=True)


def record_letters(library_root: Path, records: list[Record]) -> None:
    """Record a batch of letters in one transaction.

    A letter already recorded (same brief, same fingerprint) is one row whose
    time and files are updated: the UNIQUE index and the upsert inside one
    ``BEGIN IMMEDIATE`` transaction keep two builds recording the same letter at
    the same instant from storing it twice.
    """
    now = dt.datetime.now().isoformat(timespec="seconds")
    conn = connect(library_root)
    assert conn is not None
    with closing(conn):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for rec in records:
                _upsert(conn, rec, now)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _upsert(conn: sqlite3.Connection, rec: Record, now: str) -> None:
    row = rec.row
    old = conn.execute("SELECT outputs FROM builds WHERE brief = ? AND fingerprint = ?",
                       (row["brief"], rec.fingerprint)).fetchone()
    outputs = list(dict.fromkeys((json.loads(old[0]) if old else []) + rec.outputs))
    (build_id,) = conn.execute(
        "INSERT INTO builds (built_at, brief, letter_date, recipient_id, recipient, subject, "
        "outputs, fingerprint, merge_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(brief, fingerprint) DO UPDATE SET built_at = excluded.built_at, "
        "outputs = excluded.outputs, merge_id = excluded.merge_id RETURNING id",
        (now, row["brief"], row["letter_date"], row["recipient_id"], row["recipient"],
         row["subject"], json.dumps(outputs), rec.fingerprint, row["merge_id"])).fetchone()
    conn.executemany("INSERT OR IGNORE INTO used (build_id, kind, item_id, hash) "
                     "VALUES (?, ?, ?, ?)",
                     [(build_id, kind, item_id, digest) for kind, item_id, digest in rec.items])


def record_merge(library_root: Path, merge_id: str, brief: Path, recipients: str,
                 letters: int) -> None:
    """The merge itself: when, which brief, which recipients, how many letters."""
    conn = connect(library_root)
    assert conn is not None
    with closing(conn):
        conn.execute(
            "INSERT INTO merges (id, started_at, brief, recipients, letters) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET letters = excluded.letters",
            (merge_id, dt.datetime.now().isoformat(timespec="seconds"),
             str(Path(brief).resolve()), recipients, letters))


def query(library_root: Path, *, recipient: str | None = None,
          snippet: str | None = None, merge: str | None = None) -> list[Sent]:
    """Recorded builds, newest first; ``recipient`` matches an id or part of a name,
    ``snippet`` any item id the build used."""
    conn = connect(library_root, create=False)
    if conn is None:
        return []
    sql = ("SELECT id, built_at, brief, letter_date, recipient_id, recipient, subject, outputs, "
           "merge_id FROM builds WHERE 1=1")
    args: list[Any] = []
    if recipient:
        sql += " AND (recipient_id = ? OR recipient LIKE ?)"
        args += [recipient, f"%{recipient}%"]
    if snippet:
        sql += " AND id IN (SELECT build_id FROM used WHERE item_id = ?)"
        args.append(snippet)
    if merge:
        sql += " AND merge_id = ?"
        args.append(merge)
    sql += " ORDER BY letter_date DESC, built_at DESC"
    with closing(conn):
        rows = conn.execute(sql, args).fetchall()
        found = [Sent(*row[:7], outputs=json.loads(row[7]), merge_id=row[8]) for row in rows]
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
