"""Letters that went out, as opposed to drafts: ``lettersmith sent FILE`` marks one
recorded build as sent (to whom, on which day); ``history`` lists these by default.

The ``sent`` table is history.py's migration 3: it only refers to ``builds``, so
a history written before it reads as "built, nothing sent yet".
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import LettersmithError
from .history import Sent, connect, db_path, query



@dataclass
class Mailed:
    """One letter marked sent: the build that went out, to whom, when."""

    n: int
    sent_on: str
    recipient_id: str
    recipient: str
    build: Sent


def _no_history(root: Path) -> LettersmithError:
    return LettersmithError(f"no history at {db_path(root)}",
                            hint="'lettersmith build BRIEF' records each letter there; "
                                 "give --library the library folder")


def find_build(conn: sqlite3.Connection, target: Path) -> tuple[int, str, str]:
    """(build id, recipient id, recipient) of the latest build of a brief or output file."""
    wanted = str(target.resolve())
    for build_id, brief, outputs, rid, name in conn.execute(
            "SELECT id, brief, outputs, recipient_id, recipient FROM builds ORDER BY id DESC"):
        if wanted == brief or wanted in json.loads(outputs):
            return build_id, rid, name
    raise LettersmithError(
        "no build of this file is recorded in the history", file=target,
        hint="give a letter 'lettersmith build' wrote (or its brief), from the library it "
             "was built from ('lettersmith history --drafts' lists the builds)")


def mark_sent(root: Path, target: Path, *, to: str | None, on: dt.date,
              library: Any = None) -> Mailed:
    """Record that the latest build of ``target`` (a letter or its brief) went out."""
    conn = connect(root, create=False)
    if conn is None:
        raise _no_history(root)
    with closing(conn):
        build_id, rid, name = find_build(conn, target)
        if to:
            rid, name = _recipient(to, library)
        if not name and not rid:
            raise LettersmithError("the letter has no recipient", file=target,
                                   hint="say who it went to with --to ID or --to 'NAME'")
        conn.execute("INSERT OR IGNORE INTO sent (build_id, sent_on, recipient_id, recipient, "
                     "marked_at) VALUES (?, ?, ?, ?, ?)",
                     (build_id, on.isoformat(), rid, name,
                      dt.datetime.now().isoformat(timespec="seconds")))
        (n,), = conn.execute("SELECT id FROM sent WHERE build_id = ? AND recipient_id = ? AND "
                             "recipient = ? AND sent_on = ?", (build_id, rid, name, on.isoformat()))
    found = [m for m in sent_letters(root) if m.n == n]
    return found[0]


def mark_merge_sent(root: Path, merge_id: str, *, on: dt.date) -> int:
    """Mark every letter of a merge as sent, each to its own recipient; how many."""
    conn = connect(root, create=False)
    if conn is None:
        raise _no_history(root)
    now = dt.datetime.now().isoformat(timespec="seconds")
    with closing(conn):
        rows = conn.execute("SELECT id, recipient_id, recipient FROM builds WHERE merge_id = ?",
                            (merge_id,)).fetchall()
        if not rows:
            raise LettersmithError(f"no letters of merge {merge_id!r} in {db_path(root)}",
                                   hint="the merge id is in the merge's merge.csv; "
                                        "'lettersmith history --drafts' lists the builds")
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT OR IGNORE INTO sent (build_id, sent_on, recipient_id, "
                             "recipient, marked_at) VALUES (?, ?, ?, ?, ?)",
                             [(b, on.isoformat(), rid, name, now) for b, rid, name in rows])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return len(rows)


def _recipient(to: str, library: Any) -> tuple[str, str]:
    """(id, name) of ``--to``: a recipient id of the library, else a name as written."""
    from .library import ID_RE
    if library is not None and ID_RE.match(to) and "-" in to:
        item = library.get("recipient", to)
        return item.id, str(item.data.get("name", ""))
    return "", to


def sent_letters(root: Path, *, recipient: str | None = None, snippet: str | None = None,
                 merge: str | None = None) -> list[Mailed]:
    """Letters marked sent, newest first; filters as :func:`history.query`."""
    conn = connect(root, create=False)
    if conn is None:
        return []
    builds = {b.id: b for b in query(root, snippet=snippet, merge=merge)}
    sql = "SELECT id, build_id, sent_on, recipient_id, recipient FROM sent WHERE 1=1"
    args: list[Any] = []
    if recipient:
        sql += " AND (recipient_id = ? OR recipient LIKE ?)"
        args += [recipient, f"%{recipient}%"]
    with closing(conn):
        rows = conn.execute(sql + " ORDER BY sent_on DESC, id DESC", args).fetchall()
    return [Mailed(n, on, rid, name, builds[bid]) for n, bid, on, rid, name in rows
            if bid in builds]


def sent_build_ids(root: Path) -> set[int]:
    conn = connect(root, create=False)
    if conn is None:
        return set()
    with closing(conn):
        return {row[0] for row in conn.execute("SELECT build_id FROM sent")}


def remove(root: Path, n: int, *, draft: bool = False) -> str:
    """Delete sent entry ``n`` (or, with ``draft``, build ``n`` and what refers to it)."""
    conn = connect(root, create=False)
    if conn is None:
        raise _no_history(root)
    table, what = ("builds", "build") if draft else ("sent", "sent letter")
    with closing(conn):
        row = conn.execute(f"SELECT id FROM {table} WHERE id = ?", (n,)).fetchone()
        if row is None:
            ids = [str(r[0]) for r in conn.execute(f"SELECT id FROM {table} ORDER BY id")]
            raise LettersmithError(f"there is no {what} #{n} in {db_path(root)}",
                                   hint=("the numbers there are: " + ", ".join(ids[-10:]))
                                   if ids else f"there are no {what}s recorded")
        conn.execute("BEGIN IMMEDIATE")  # one transaction, as history.py writes
        try:
            if draft:
                conn.execute("DELETE FROM used WHERE build_id = ?", (n,))
                conn.execute("DELETE FROM sent WHERE build_id = ?", (n,))
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (n,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return f"removed {what} #{n}"
