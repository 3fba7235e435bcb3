"""Shared helpers for the Word writer tests: hand-built letters and three checks
(the schema validator, python-docx, pandoc).  No tests are collected here."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from lettersmith.model import (BlockQuote, Div, Document, Emph, Heading, LineBreak, Link,
                               ListBlock, Note, NoteRef, NoteSettings, Para, Str, Strong,
                               format_number, walk)

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the repository (the brief's parents[2] / "../shared" would point
# above /work; the repository root is parents[1])
VALIDATOR = REPO.parent / "shared" / "tools" / "docx-validate" / "validate_docx.py"
SOURCES = ["aclu-license-to-abuse-2022", "leap-2021-letter", "gao-21-186"]


def S(text: str) -> Str:
    return Str(text)


def note(*inlines) -> Note:
    return Note([Para(list(inlines))])


def lines(*texts: str) -> Para:
    """A paragraph of lines joined by hard line breaks."""
    out: list = []
    for i, t in enumerate(texts):
        if i:
            out.append(LineBreak())
        out.append(Str(t))
    return Para(out)


def number_notes(doc: Document) -> Document:
    """What the citation pass does: number notes in reading order, list them."""
    doc.notes = [n for n in walk(doc.blocks, into_notes=False) if isinstance(n, Note)]
    for i, n in enumerate(doc.notes, start=1):
        n.number = i
        n.label = format_number(i, doc.note_settings.numbering)
    for n in doc.notes:
        for node in walk(n.blocks):
            if isinstance(node, NoteRef):
                node.label = format_number(node.number, doc.note_settings.numbering)
    return doc


def signer_names(count: int) -> list[str]:
    kinds = ["Immigrant Justice Network", "Civil Rights Council", "Legal Aid Society",
             "Faith Coalition", "Workers Center", "Law Project"]
    places = ["Alabama", "Arizona", "Boston", "Chicago", "Denver", "El Paso", "Florida",
              "Georgia", "Houston", "Iowa", "Kansas", "Louisiana", "Maine", "Nevada",
              "Ohio", "Oregon", "Texas", "Utah", "Vermont", "Wisconsin"]
    return [f"{places[i % len(places)]} {kinds[i // len(places) % len(kinds)]}"
            for i in range(count)]


def sample_letter(*, placement: str = "footnotes", numbering: str = "arabic",
                  signers: int = 120, columns: str = "2", congress: bool = False
                  ) -> Document:
    """A letter with every part, notes with italics, links and a *supra* NoteRef."""
    aclu = Link([S("https://www.aclu.org/report/license-abuse")],
                "https://www.aclu.org/report/license-abuse")
    n1 = note(S("ACLU, "), Emph([S("License to Abuse: How ICE's 287(g) Program Empowers "
                                  "Racist Sheriffs")]), S(" (2022), "), aclu, S("."))
    n2 = note(Emph([S("See, e.g.")]), S(", Law Enforcement Action Partnership, "
                                       "\u201cStrengthening Public Safety\u201d (Mar. 17, 2021)."))
    n3 = note(Emph([S("Id.")]), S(" at 4."))
    n4 = note(S("Gov\u2019t Accountability Office, GAO-21-186, "),
              Link([S("https://www.gao.gov/products/gao-21-186")],
                   "https://www.gao.gov/products/gao-21-186"), S("."))
    n5 = note(S("ACLU, "), Emph([S("supra")]), S(" note "), NoteRef(1), S(", at 12."))
    n6 = note(S("A recent ACLU report found that at least 65% of agencies have records of "
                "civil rights violations. ACLU, "), Emph([S("supra")]), S(" note "),
              NoteRef(1), S("."))
    body = [
        Div("date", [Para([S("February 21, 2023")])]),
        Div("address", [lines("The Honorable Alejandro Mayorkas",
                              "Secretary of Homeland Security", "Washington, DC 20528")]),
        Div("via", [Para([S("Via email")])]),
        Div("subject", [Para([S("Re: 7 Leading Immigrant Rights Groups Urge You to End "
                                "ICE\u2019s 287(g) Program")])]),
        Div("salutation", [Para([S("Dear Secretary Mayorkas,")])]),
        Para([S("As a group of civil rights and immigrant justice organizations, we "
                "appreciated President Biden\u2019s campaign promise to roll back the 287(g) "
                "program."), n1, S(" For far too long, the program has served as a "
                                   "vehicle for "), Strong([S("racist, xenophobic")]),
              S(" law enforcement figures to violate people\u2019s civil rights.")]),
        Div("snippet", [
            Para([S("Sheriffs, police chiefs and prosecutors are some of the leading critics "
                    "of the 287(g) program because it makes people less likely to report "
                    "crimes."), n2, S(" A group of 120 law enforcement professionals wrote "
                                      "that the program \u201cneeds to end immediately.\u201d"),
                  n3]),
            Para([S("At the same time, the expansion compromised ICE\u2019s ability to "
                    "supervise participants."), n4]),
        ], {"id": "leo-critics", "hash": "3f2a9c01b7d4", "title": "Law enforcement leaders "
            "oppose 287(g)", "origin": "2023-02-21 letter of seven organizations",
            "sources": ",".join(SOURCES[:2])}),
        Heading(2, [S("(1) End Trump-era 287(g) Agreements")]),
        Para([S("The program remains almost entirely intact."), n5]),
        BlockQuote([Para([S("Whenever possible, state and local law enforcement should not "
                            "be involved in immigration enforcement."), n6])]),
        Para([S("We therefore ask that you:")]),
        ListBlock(True, [[Para([S("terminate the 287(g) program;")])],
                         [Para([S("end the Secure Communities program; and")])],
                         [Para([S("stop using ICE detainers.")])]]),
        Div("snippet", [Para([S("Ending this program is essential to fulfilling President "
                                "Biden\u2019s vision for reform at DHS.")])],
            {"id": "biden-promise", "hash": "aa01", "title": "The President's promise",
             "origin": "2021-02-11 Members of Congress letter", "sources": ""}),
        Div("closing", [Para([S("Thank you for your time. We look forward to discussing "
                                "these matters further with you.")])]),
        Div("signoff", [Para([S("Sincerely,")])]),
    ]
    if congress:
        blocks = []
        for i, name in enumerate(["Jan Schakowsky", "Adriano Espaillat", "Mike Quigley",
                                  "Nanette Diaz Barragán", "Donald S. Beyer Jr.",
                                  "Earl Blumenauer", "Suzanne Bonamici"]):
            parts = (["/s/"] if i % 2 else []) + [name, "Member of Congress"]
            blocks.append(lines(*parts))
        body.append(Div("signature-blocks", blocks, {"per-row": "3"}))
    else:
        names = signer_names(signers)
        body.append(Div("signatures", [lines(*names)], {"columns": columns}))
    body += [
        Div("cc", [Para([S("cc: Tae Johnson, Acting Director of Immigration and Customs "
                           "Enforcement")])]),
        Div("contact", [Para([S("For questions, please contact Naureen Shah at "),
                              Link([S("nshah@aclu.org")], "mailto:nshah@aclu.org"), S(".")])]),
    ]
    doc = Document(body, note_settings=NoteSettings(placement, numbering),
                   meta={"title": "End ICE's 287(g) Program", "author": "ACLU",
                         "subject": "End ICE's 287(g) Program", "keywords": ["287g", "wso"],
                         "date": "2023-02-21"})
    return number_notes(doc)


def many_notes_letter(count: int = 50) -> Document:
    """A long letter with ``count`` notes (for timing)."""
    body: list = [Div("date", [Para([S("June 15, 2023")])])]
    for i in range(count):
        inl = [S(f"Argument {i}: the program harms communities and undermines trust. ")]
        if i and i % 7 == 0:
            n = note(S("ACLU, "), Emph([S("supra")]), S(" note "), NoteRef(1), S("."))
        else:
            n = note(S(f"Source {i}, "), Emph([S("A Report Title")]), S(" (2023), "),
                     Link([S(f"https://example.org/{i}")], f"https://example.org/{i}"), S("."))
        body.append(Para(inl + [n]))
    doc = Document(body, meta={"title": "t", "date": "2023-06-15"})
    return number_notes(doc)


# ------------------------------------------------------------------ checks


def validate(path: Path) -> None:
    """Run the shared validator (skipped when ../shared is absent)."""
    if not VALIDATOR.exists():
        return
    proc = subprocess.run([sys.executable, str(VALIDATOR), str(path)], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _stringify(node) -> str:
    if isinstance(node, list):
        return "".join(_stringify(n) for n in node)
    if not isinstance(node, dict):
        return ""
    t, c = node.get("t"), node.get("c")
    if t == "Str":
        return c
    if t in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if t == "Note":
        return ""
    if t in ("Link", "Image"):
        return _stringify(c[1])
    if t in ("Code",):
        return c[1]
    if t == "Span":
        return _stringify(c[1])
    if t in ("Para", "Plain"):
        return _stringify(c) + " "
    return _stringify(c)


def pandoc_notes(path: Path) -> list[str]:
    """The texts of the notes pandoc reads from ``path``, in order."""
    import pypandoc
    ast = json.loads(pypandoc.convert_file(str(path), "json", format="docx"))
    found: list[str] = []

    def visit(node) -> None:
        if isinstance(node, list):
            for n in node:
                visit(n)
        elif isinstance(node, dict):
            if node.get("t") == "Note":
                found.append(norm(_stringify(node["c"])))
            visit(node.get("c"))
    visit(ast["blocks"])
    return found


def model_notes(doc: Document) -> list[str]:
    """The texts of the letter's notes as the model holds them."""
    def text(nodes) -> str:
        out = []
        for n in nodes:
            if isinstance(n, Str):
                out.append(n.text)
            elif isinstance(n, NoteRef):
                out.append(n.label)
            elif isinstance(n, LineBreak):
                out.append(" ")
            elif isinstance(n, Para):
                out.append(text(n.inlines) + " ")
            elif hasattr(n, "children"):
                out.append(text(n.children))
            elif hasattr(n, "text"):
                out.append(n.text)
        return "".join(out)
    return [norm(text(n.blocks)) for n in doc.notes]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
