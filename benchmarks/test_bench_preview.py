"""Benchmarks (not tests): what ``preview`` does on every save of the example brief.

Run: python -m pytest benchmarks/test_bench_preview.py -p no:cacheprovider --benchmark-only
A rebuild is the whole build (rendered, parsed, cited; the library read again
only after a save of one of its files),
``check``'s warnings and the page's HTML; the search renders each hit with its notes.
"""
from __future__ import annotations

from pathlib import Path

from lettersmith.library import load_library
from lettersmith.live.search import search_results
from lettersmith.live.session import Session

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT / "examples" / "briefs" / "new-letter-2026-county-287g.yaml"


def test_rebuild_on_save_of_the_brief(benchmark) -> None:  # type: ignore[no-untyped-def]
    session = Session(BRIEF)
    state = benchmark(session.rebuild, library_changed=False)
    assert not state["error"] and len(state["notes"]) == 14


def test_rebuild_on_save_of_a_library_file(benchmark) -> None:  # type: ignore[no-untyped-def]
    session = Session(BRIEF)
    state = benchmark(session.rebuild, library_changed=True)
    assert not state["error"] and len(state["notes"]) == 14


def test_search_box(benchmark) -> None:  # type: ignore[no-untyped-def]
    library = load_library(ROOT)
    hits = benchmark(search_results, library, "detainer liability")
    assert hits and hits[0]["html"]
