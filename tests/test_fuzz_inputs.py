"""Issue 14: generated variations of briefs, library files, templates and CSL
items never end in anything but a LettersmithError (a clear message).

Small in CI; set LETTERSMITH_FUZZ_EXAMPLES=5000 for a large run.  Each example
mutates a valid letter (a brief, an argument, a list of sources, facts and
signatories, a letter template) line by line with hostile values, then builds
it in every text format and as .docx, in this process.
"""
from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lettersmith import build as build_module
from lettersmith import library as library_module
from lettersmith.errors import LettersmithError
from lettersmith.output import render

EXAMPLES = int(os.environ.get("LETTERSMITH_FUZZ_EXAMPLES", "40"))
OUTCOMES: Counter[str] = Counter()  # built / the kind of error: printed for a large run

BRIEF = """\
to: secretary
date: 2023-02-21
subject: End 287(g)
vars: {place: the county}
signatories: coalition
cc: [secretary, Jane Doe]
body:
  - text: A report found abuse.[@aclu-report] See [site](https://example.org).[@fuzz-case, at 790]
  - argument: fuzzed
  - heading: Asks
  - asks: [End it., Report on it.]
closing: Thank you.
"""
ARGUMENT = """\
---
title: Fuzzed argument
tags: [a, b]
vars: {place: the country}
---
In {{ place }} {{ fact("agencies") }} and {{ quote("leap") }}.[@gao-report, at 5]
"""
SOURCES = """\
sources:
  - id: fuzz-source
    type: report
    author: [{family: Doe, given: Ann}]
    title: A Title
    issued: {date-parts: [[2021, 3, 4]]}
    URL: https://example.org/x
  - id: fuzz-case
    type: legal_case
    title: Doe v. Roe
    container-title: F.3d
    volume: 975
    page: 788
    issued: {date-parts: [[2020]]}
"""
ITEMS = """\
facts:
  - id: agencies
    text: 140 agencies
    source: fuzz-source
    locator: 3
quotes:
  - id: leap
    text: end it now
    speaker: A Chief
    source: fuzz-source
signatories:
  - id: coalition
    columns: 2
    signers: [Alpha Group, {name: Beta Org, title: Director}]
"""
TEMPLATE = """\
{% extends "letter.md.j2" %}
"""

HOSTILE_VALUES = [
    "5", "-1", "0", "10000000000000000000000", "1e999", "null", "~", "true", "[]", "{}",
    "[1, [2, [3]]]", "{a: {b: c}}", "2023-02-30", "0000-01-01", "2023-13-01", "!!float abc",
    "!!binary AAAA", "!!set {a, b}", "'\\x00'", '"\\u0007"', '"\\ud800"', "&a x", "*a", "*zz",
    "? [a, b]", "'{{ 9**(9**9) }}'", "'{{ \"a\" * 10**9 }}'", "'{% for i in range(10**9) %}'",
    "'{{ undefined_name }}'", "'{{ 1/0 }}'", "'{{'", "'{% if %}'", "javascript:alert(1)",
    "'::: signatures columns=1;x'", "'[@nosuch]'", "'[@aclu-report, at [@gao-report]]'",
    "'^[nested ^[note]]'", "'a' 'b'", "- a\n- b", "|\n  block", "'@'", "'%s%s%s'",
    "{date-parts: null}", "{date-parts: [[2021, 0]]}", "{date-parts: [[words]]}",
    "{date-parts: 2021}", "[{family: 5}]", "[[1]]", "'\\t'", "'x' # comment",
]
HOSTILE_TEXT = [
    "{{ place }}", "{{ quote('nosuch') }}", "{{ fact(5) }}", "{% raw %}", "{#", "}}", "%}",
    "[@", "[@gao-report]", "^[", "]", "::: part\n", ":::\n", "---\n", "\x00", "\u202e", "\t",
    "<script>", "&amp;", "*", "_", "`", "\\", "#", "> ", "1. ", "- ", "| a | b |\n|---|---|\n",
    "{{ range(10)|list }}", "{{ 'x'|center(10**8) }}", "{{ ().__class__ }}", "{{ self }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{% include 'nosuch' %}",
    "{% extends 'letter.md.j2' %}", "{{ signatories }}", "{{ to.name }}", "{{ cc|join(', ') }}",
]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few lines changed: a value swapped, text inserted, lines dropped."""
    lines = text.split("\n")
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):
        lines = lines or [""]
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        kind = draw(st.sampled_from(["value", "value", "insert", "insert", "drop", "dup",
                                     "random"]))
        line = lines[i] if lines else ""
        if kind == "value" and ":" in line:
            key = line.split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(HOSTILE_VALUES))}"
        elif kind == "insert":
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.sampled_from(HOSTILE_TEXT)) + line[at:]
        elif kind == "drop" and lines:
            del lines[i]
        elif kind == "dup" and lines:
            lines.insert(i, line)
        elif kind == "random":
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.text(max_size=12)) + line[at:]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(Path(__file__).parent / "golden" / "lib" / "snippets", root / "snippets")
    yield root
    if EXAMPLES > 100:
        print("\nfuzz outcomes:", *(f"{n:6d}  {what}" for what, n in OUTCOMES.most_common(40)),
              sep="\n")


def build_all(root: Path) -> None:
    library_module._CACHE.clear()
    build_module._RENDERERS.clear()
    letter = build_module.build_letter(root / "brief.yaml", root)
    for fmt in ("md", "txt", "html", "docx"):
        render(letter.doc, fmt)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100,
          suppress_health_check=list(HealthCheck))
@given(brief=mutated(BRIEF), argument=mutated(ARGUMENT), sources=mutated(SOURCES),
       items=mutated(ITEMS), template=mutated(TEMPLATE), template_on=st.booleans())
def test_only_clear_errors(base: Path, brief: str, argument: str, sources: str, items: str,
                           template: str, template_on: bool) -> None:
    root = base
    for name, text in (("fuzzed.md", argument), ("fuzzed.yaml", items),
                       ("fuzzed-sources.yaml", sources)):
        (root / "snippets" / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "fuzzed.md.j2").write_text(template, encoding="utf-8",
                                                      errors="surrogatepass")
    if template_on:
        brief = "template: fuzzed\n" + brief
    (root / "brief.yaml").write_text(brief, encoding="utf-8", errors="surrogatepass")
    try:
        build_all(root)
        OUTCOMES["built"] += 1
    except LettersmithError as err:
        assert str(err).strip()
        OUTCOMES["error: " + re.sub(r"'[^']*'|\d+", "_", err.message)[:70]] += 1
