"""Every test keeps its build history out of the shipped library: builds record into
a history file under the test's tmp_path ($LETTERSMITH_HISTORY), and the session
fails if the repository's own ``.lettersmith/`` appears or changes while it runs."""
from __future__ import annotations

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


@pytest.fixture(autouse=True)
def _history_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LETTERSMITH_HISTORY", str(tmp_path / "history" / "history.sqlite"))


@pytest.fixture(autouse=True, scope="session")
def _shipped_history_untouched() -> Iterator[None]:
    before = _stamp()
    yield
    assert _stamp() == before, f"a test wrote into {SHIPPED_HISTORY}"
