"""Every test keeps its build history out of the shipped library: builds record into
a history file under the test's tmp_path ($LETTERSMITH_HISTORY), and the session
fails if the repository's own ``.lettersmith/`` appears or changes while it runs.

Commands run in their own process (LETTERSMITH_SERVER=0): a resident server would
outlive the test run.  tests/test_server.py starts its own, in its own folder, and
stops it."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parents[1]
SHIPPED_HISTORY = REPO / ".lettersmith" / "history.sqlite"


def _stamp() -> tuple[int, int] | None:
    try:
        stat = SHIPPED_HISTORY.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


@pytest.fixture(autouse=True, scope="session")
def _history_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Session-wide, so module-scoped fixtures that build are covered too; a test
    about a library's own history removes the variable (monkeypatch.delenv)."""
    before = _stamp()
    os.environ["LETTERSMITH_SERVER"] = "0"
    old = os.environ.get("LETTERSMITH_HISTORY")
    os.environ["LETTERSMITH_HISTORY"] = str(tmp_path_factory.mktemp("history") / "history.sqlite")
    yield
    if old is None:
        os.environ.pop("LETTERSMITH_HISTORY", None)
    else:
        os.environ["LETTERSMITH_HISTORY"] = old
    assert _stamp() == before, f"a test wrote into {SHIPPED_HISTORY}"
