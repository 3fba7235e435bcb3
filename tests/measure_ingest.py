"""How well ``lettersmith ingest`` reads the past letters.

Ground truth: the example briefs that rebuild the three past letters; building
one gives, for every note, the library sources it cites.  Two measures:

* notes: ingest each letter against the repository's library (so sources are
  matched); a note is right when it cites exactly the sources the rebuilt
  letter's note of the same number cites.
* sources: ingest against an empty library (so every source is made anew); a
  truth source is found when a made source is the same work (URL or title), and
  right when its title, date, URL, container and author all agree.

Run ``python tests/measure_ingest.py`` to print the figures and write tests/INGEST.md.
"""
from __future__ import annotations

import difflib
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
LETTERS = REPO / "tests" / "past-letters"
TRUTH = {  # past letter -> the example brief that rebuilds it
    "2021-02-11-members-of-congress-end-entanglement-letter.txt":
        "2021-02-11-congress-end-entanglement.yaml",
    "2023-02-21-seven-groups-end-287g-letter.txt": "2023-02-21-seven-groups-end-287g.yaml",
    "2023-06-15-coalition-doj-profiling-guidance-letter.txt":
        "2023-06-15-coalition-doj-profiling.yaml",
}
FIELDS = ("title", "issued", "URL", "container-title", "author")


@dataclass
class Score:
    name: str
    notes: int = 0
    notes_found: int = 0
    notes_placed: int = 0  # referenced at a place in the text
    notes_right: int = 0
    sources: int = 0
    sources_found: int = 0
    sources_right: int = 0
    fields: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0] for f in FIELDS})
    wrong: list[str] = field(default_factory=list)


def truth_notes(brief: Path) -> list[list[str]]:
    from lettersmith.build import build_letter
    letter = build_letter(brief)
    return [list(dict.fromkeys(n.sources)) for n in letter.doc.notes]


def _norm(text: Any) -> str:
    from lettersmith.ingest.cites import norm_title
    return norm_title(str(text))


def _year(value: Any) -> Any:
    parts = (value or {}).get("date-parts") if isinstance(value, dict) else None
    return parts[0][:1] if parts else None


def _authors(value: Any) -> str:
    names = value or []
    return _norm(" ".join(str(n.get("family") or n.get("literal") or "") for n in names[:1]))


def field_agrees(name: str, made: dict[str, Any], truth: dict[str, Any]) -> bool:
    a, b = made.get(name), truth.get(name)
    if name == "issued":
        return _year(a) == _year(b)
    if name == "URL":
        from lettersmith.ingest.cites import norm_url
        return bool(a) and difflib.SequenceMatcher(None, norm_url(str(a)), norm_url(str(b))).ratio() > 0.95
    if name == "author":
        return _authors(a) == _authors(b)
    return bool(a) and difflib.SequenceMatcher(None, _norm(a), _norm(b)).ratio() >= 0.9


def measure_file(path: Path, brief: Path | None, library_root: Path) -> Score:
    from lettersmith.ingest.cites import same_source
    from lettersmith.ingest.make import Ingester
    from lettersmith.library import Library

    score = Score(path.name)
    if brief is None:
        return score
    truth = truth_notes(brief)
    library = Library(library_root)
    matched = Ingester(library).ingest(path)
    referenced = {int(n) for _, t in matched.parsed.body for n in re.findall(r"\[\^(\d+)\]", t)}
    score.notes = len(truth)
    for number, expected in enumerate(truth, 1):
        got = matched.note_sources.get(number)
        if number in matched.raw.notes:
            score.notes_found += 1
        if number in referenced:
            score.notes_placed += 1
        if got is not None and set(got) == set(expected):
            score.notes_right += 1
        else:
            score.wrong.append(f"note {number}: expected {expected}, got {got}")
    empty = Path(tempfile.mkdtemp())
    made = Ingester(Library(empty)).ingest(path)
    wanted = list(dict.fromkeys(s for note in truth for s in note))
    score.sources = len(wanted)
    for source_id in wanted:
        data = library.items[source_id].data
        twin = next((s for s in made.sources if same_source(s, data)), None)
        if twin is None:
            score.wrong.append(f"source {source_id}: not made")
            continue
        score.sources_found += 1
        checks = [(f, field_agrees(f, twin, data)) for f in FIELDS if data.get(f)]
        for name, ok in checks:
            score.fields[name][0] += ok
            score.fields[name][1] += 1
        if all(ok for _, ok in checks):
            score.sources_right += 1
        else:
            bad = [f"{f}: {twin.get(f)!r} vs {data.get(f)!r}" for f, ok in checks if not ok]
            score.wrong.append(f"source {source_id}: " + "; ".join(bad)[:300])
    return score


def measure_docx(brief: Path, library_root: Path) -> Score:
    """The rebuilt letter as Markdown, made into .docx by pandoc, ingested back."""
    import pypandoc

    from lettersmith.build import build_letter
    from lettersmith.writers.md import write_markdown
    folder = Path(tempfile.mkdtemp())
    docx = folder / (brief.stem + ".docx")
    pypandoc.convert_text(write_markdown(build_letter(brief).doc), "docx", format="markdown",
                          outputfile=str(docx))
    score = measure_file(docx, brief, library_root)
    score.name = f"{brief.stem}.docx (pandoc, from the rebuilt letter)"
    return score


def measure_own_docx(brief: Path, library_root: Path) -> Score:
    """The rebuilt letter as lettersmith's own .docx (real endnotes when the brief asks)."""
    from lettersmith.build import build_letter
    from lettersmith.output import render
    folder = Path(tempfile.mkdtemp())
    docx = folder / (brief.stem + ".docx")
    letter = build_letter(brief)
    docx.write_bytes(render(letter.doc, "docx"))
    score = measure_file(docx, brief, library_root)
    kind = letter.doc.note_settings.placement
    score.name = f"{brief.stem}.docx (lettersmith's, Word {kind})"
    return score


def measure_pdf(brief: Path, library_root: Path) -> Score:
    """The rebuilt letter as LibreOffice printed it (tests/fixtures/pdf, made by
    ``lettersmith build BRIEF -f pdf``), read with pdfplumber."""
    pdf = REPO / "tests" / "fixtures" / "pdf" / (brief.stem + ".pdf")
    score = measure_file(pdf, brief, library_root)
    score.name = f"{pdf.name} (LibreOffice PDF of the rebuilt letter)"
    return score


def measure_all() -> list[Score]:
    briefs = REPO / "examples" / "briefs"
    scores = [measure_file(LETTERS / name, briefs / TRUTH[name] if name in TRUTH else None, REPO)
              for name in sorted(p.name for p in LETTERS.glob("*.txt"))]
    scores += [measure_docx(briefs / TRUTH[name], REPO) for name in TRUTH]
    scores += [measure_pdf(briefs / TRUTH[name], REPO) for name in TRUTH]
    scores.append(measure_own_docx(briefs / TRUTH["2023-02-21-seven-groups-end-287g-letter.txt"], REPO))
    return scores


def table(scores: list[Score]) -> str:
    rows = ["| letter | notes found | placed in text | notes right | sources found | sources right |",
            "| --- | --- | --- | --- | --- | --- |"]
    total = Score("total")
    for s in scores:
        if not s.notes:
            rows.append(f"| {s.name} | no notes | | | | |")
            continue
        rows.append(f"| {s.name} | {s.notes_found}/{s.notes} | {s.notes_placed}/{s.notes} | "
                    f"{s.notes_right}/{s.notes} | {s.sources_found}/{s.sources} | "
                    f"{s.sources_right}/{s.sources} |")
        for attr in ("notes", "notes_found", "notes_placed", "notes_right", "sources",
                     "sources_found", "sources_right"):
            setattr(total, attr, getattr(total, attr) + getattr(s, attr))
        for name, (ok, n) in s.fields.items():
            total.fields[name][0] += ok
            total.fields[name][1] += n
    rows.append(f"| **all** | {total.notes_found}/{total.notes} | {total.notes_placed}/{total.notes} | "
                f"{total.notes_right}/{total.notes} | {total.sources_found}/{total.sources} | "
                f"{total.sources_right}/{total.sources} |")
    fields = ", ".join(f"{name} {ok}/{n}" for name, (ok, n) in total.fields.items())
    return "\n".join(rows) + f"\n\nFields of the sources found, right out of present: {fields}.\n"


def report(scores: list[Score]) -> str:
    text = [
        "# How well ingest reads the past letters",
        "",
        "Measured by `python tests/measure_ingest.py` (tests/test_ingest.py runs it too).",
        "Ground truth is the example brief that rebuilds each letter (examples/briefs/):",
        "building it gives, note by note, the library sources each note cites.",
        "",
        "- *notes found*: a note's text was read, under its number.",
        "- *placed in text*: its reference mark was found in the body, so the citation",
        "  lands in the right argument block (the text copies of PDFs lose many marks).",
        "- *notes right*: ingested against the repository's library, the note cites",
        "  exactly the sources the rebuilt letter's note cites (matched by URL or title).",
        "- *sources found / right*: ingested against an empty library, a new CSL item was",
        "  made for the work / with its title, year, URL, container and first author right.",
        "",
        table(scores),
        "The press release and the news article have no notes. Of their attributed",
        "quotations ingest takes all five spokespeople's in the release (and one of its two",
        "lines quoted from the letter, with 'The letter' as speaker) and both in the article",
        "(Kary Moss, Naureen Shah: surnames are completed from the text).",
        "",
        "## What went wrong",
        "",
    ]
    for s in scores:
        if s.wrong:
            text.append(f"### {s.name}\n")
            text.extend(f"- {w}" for w in s.wrong)
            text.append("")
    return "\n".join(text)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    result = measure_all()
    print(table(result))
    (REPO / "tests" / "INGEST.md").write_text(report(result), encoding="utf-8")
    print("wrote tests/INGEST.md")
