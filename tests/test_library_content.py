"""The shipped library (snippets/) and the example briefs, checked as data.

These tests read the YAML and front matter themselves with PyYAML, so they hold
whatever lettersmith's own loader does: they guard the content, not the code.
The past documents they compare against are the copies in tests/past-letters/.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SNIPPETS = ROOT / "snippets"
BRIEFS = ROOT / "examples" / "briefs"
PAST = Path(__file__).resolve().parent / "past-letters"

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LIST_KINDS = {"sources": "source", "quotes": "quote", "facts": "fact",
              "recipients": "recipient", "signatories": "signatories",
              "organizations": "organization"}
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*\n", re.S | re.M)
# [@a], [See @a, at 5], [@a; see also @b]: every @id inside square brackets.
CITE_GROUP = re.compile(r"\[([^\[\]]*@[^\[\]]*)\]")
CITE_ID = re.compile(r"(?<![\w@.])@([A-Za-z0-9_][\w-]*)")
HELPER = re.compile(r"\b(quote|fact)\(\s*[\"']([^\"']+)[\"']")
JINJA_VAR = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*(?:\}\}|\|)")
BLOCK_START = re.compile(r"^\s{0,3}([-+*#>]|\d+[.)])(\s|$)")
SPEAKER_KINDS = {"law-enforcement", "congress", "faith", "official", "organization", "campaign"}


# ----------------------------------------------------------------- loading


def _arguments() -> list[dict]:
    out = []
    for path in sorted(SNIPPETS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = FRONT_MATTER.match(text)
        assert match, f"{path}: an argument needs YAML front matter between --- lines"
        meta = yaml.safe_load(match.group(1)) or {}
        out.append({"kind": "argument", "id": str(meta.get("id") or path.stem), "data": meta,
                    "body": text[match.end():], "file": path})
    return out


def _list_items() -> list[dict]:
    out = []
    for path in sorted(list(SNIPPETS.rglob("*.yaml")) + list(SNIPPETS.rglob("*.yml"))):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        assert isinstance(data, dict), f"{path}: top level must be a mapping"
        for key, items in data.items():
            assert key in LIST_KINDS, f"{path}: unknown top-level key {key!r}"
            assert isinstance(items, list), f"{path}: {key} must be a list"
            for item in items:
                assert isinstance(item, dict) and "id" in item, f"{path}: an item under {key} has no id"
                out.append({"kind": LIST_KINDS[key], "id": str(item["id"]), "data": item,
                            "file": path})
    return out


ALL = _arguments() + _list_items()
BY_ID = {item["id"]: item for item in ALL}


def of_kind(kind: str) -> list[dict]:
    return [item for item in ALL if item["kind"] == kind]


def _briefs() -> list[tuple[Path, dict]]:
    return [(path, yaml.safe_load(path.read_text(encoding="utf-8")))
            for path in sorted(BRIEFS.glob("*.yaml"))]


BRIEF_DATA = _briefs()


def _brief_texts(brief: dict) -> list[str]:
    """The Markdown a brief writes itself: text blocks, headings, asks."""
    out = []
    for entry in brief.get("body") or []:
        if isinstance(entry, str):
            out.append(entry)
            continue
        for key in ("text", "heading", "intro"):
            if entry.get(key):
                out.append(str(entry[key]))
        out.extend(str(ask) for ask in entry.get("asks") or [])
    for key in ("closing",):
        if brief.get(key):
            out.append(str(brief[key]))
    return out


def cited_ids(markdown: str) -> list[str]:
    ids = []
    for group in CITE_GROUP.finditer(markdown):
        ids.extend(CITE_ID.findall(group.group(1)))
    return ids


def helper_ids(markdown: str) -> list[tuple[str, str]]:
    return HELPER.findall(markdown)


# ------------------------------------------------------------- the past texts


def _norm_words(text: str) -> str:
    """Quote marks, hyphens and whitespace normalized: for word-for-word checks."""
    text = text.replace("\u00ad", "")
    text = re.sub(r"[\u201c\u201d\u201e\u2033\"]", '"', text)
    text = re.sub(r"[\u2018\u2019\u2032`']", "'", text)
    text = re.sub(r"[*_]", "", text)
    text = text.replace("-", "")
    return re.sub(r"\s+", " ", text).strip()


PAST_TEXTS = {path.name: path.read_text(encoding="utf-8") for path in sorted(PAST.glob("*.txt"))}
PAST_NORMALIZED = {name: _norm_words(text) for name, text in PAST_TEXTS.items()}


# --------------------------------------------------------------------- tests


def test_the_library_is_not_empty():
    counts = Counter(item["kind"] for item in ALL)
    assert counts["argument"] >= 23
    assert counts["source"] >= 40
    assert counts["quote"] >= 20
    assert counts["fact"] >= 15
    assert counts["recipient"] >= 3
    assert counts["signatories"] >= 3
    assert len(BRIEF_DATA) >= 4


def test_every_id_is_unique_and_well_formed():
    seen: dict[str, Path] = {}
    problems = []
    for item in ALL:
        if not ID_RE.match(item["id"]):
            problems.append(f"{item['file']}: bad id {item['id']!r}")
        if item["id"] in seen:
            problems.append(f"id {item['id']!r} in both {seen[item['id']]} and {item['file']}")
        seen[item["id"]] = item["file"]
    assert not problems, "\n".join(problems)


def test_argument_front_matter():
    problems = []
    for item in of_kind("argument"):
        meta, where = item["data"], item["file"].relative_to(ROOT)
        if meta.get("id") != item["file"].stem:
            problems.append(f"{where}: id should equal the file name ({item['file'].stem})")
        for key in ("title", "origin"):
            if not meta.get(key):
                problems.append(f"{where}: no {key}")
        tags = meta.get("tags")
        if not tags or not isinstance(tags, list) or not all(ID_RE.match(str(t)) for t in tags):
            problems.append(f"{where}: tags must be a list of lowercase words")
        if item["file"].parent.name not in [str(t) for t in tags or []]:
            problems.append(f"{where}: the topic folder {item['file'].parent.name!r} should be one of its tags")
        unknown = set(meta) - {"id", "title", "tags", "origin", "vars", "description"}
        if unknown:
            problems.append(f"{where}: unknown front matter keys {sorted(unknown)}")
        defaults = meta.get("vars") or {}
        for name in JINJA_VAR.findall(item["body"]):
            if name not in defaults and name not in {"to", "date"}:
                problems.append(f"{where}: variable {name!r} has no default under vars:")
        for name in defaults:
            if not re.search(r"\{\{\s*" + re.escape(name) + r"\b", item["body"]):
                problems.append(f"{where}: vars default {name!r} is never used")
        if not item["body"].strip():
            problems.append(f"{where}: empty body")
    assert not problems, "\n".join(problems)


def test_argument_bodies_are_plain_paragraphs():
    """One paragraph each, and no line a Markdown parser would take for a list or heading."""
    problems = []
    for item in of_kind("argument"):
        body = item["body"].strip("\n")
        where = item["file"].relative_to(ROOT)
        if "\n\n" in body:
            problems.append(f"{where}: an argument block is one paragraph")
        for number, line in enumerate(body.splitlines(), 1):
            if BLOCK_START.match(line):
                problems.append(f"{where}: body line {number} starts like a list or heading: {line[:40]!r}")
            if line != line.rstrip():
                problems.append(f"{where}: body line {number} has trailing spaces (a hard break)")
    assert not problems, "\n".join(problems)


def _uses() -> list[tuple[str, str, str]]:
    """(where, kind, id) for every reference made by a block, an item or a brief."""
    uses = []
    for item in of_kind("argument"):
        where = str(item["file"].relative_to(ROOT))
        uses += [(where, "source", i) for i in cited_ids(item["body"])]
        uses += [(where, kind, i) for kind, i in helper_ids(item["body"])]
    for item in of_kind("quote") + of_kind("fact"):
        if item["data"].get("source"):
            uses.append((f"{item['file'].relative_to(ROOT)} ({item['id']})", "source",
                         str(item["data"]["source"])))
    for path, brief in BRIEF_DATA:
        where = str(path.relative_to(ROOT))
        for text in _brief_texts(brief):
            uses += [(where, "source", i) for i in cited_ids(text)]
            uses += [(where, kind, i) for kind, i in helper_ids(text)]
        for entry in brief.get("body") or []:
            if isinstance(entry, dict) and entry.get("argument"):
                uses.append((where, "argument", str(entry["argument"])))
        if isinstance(brief.get("to"), str):
            uses.append((where, "recipient", brief["to"]))
        signatories = brief.get("signatories")
        if isinstance(signatories, dict):
            signatories = signatories.get("use")
        if isinstance(signatories, str):
            uses.append((where, "signatories", signatories))
        cc = brief.get("cc") or []
        for entry in [cc] if isinstance(cc, str) else cc:
            if ID_RE.match(str(entry)):
                uses.append((where, "recipient", str(entry)))
    return uses


def test_every_used_id_resolves_to_an_item_of_the_right_kind():
    problems = []
    for where, kind, item_id in _uses():
        item = BY_ID.get(item_id)
        if item is None:
            problems.append(f"{where}: no {kind} {item_id!r}")
        elif item["kind"] != kind:
            problems.append(f"{where}: {item_id!r} is a {item['kind']}, not a {kind}")
    assert not problems, "\n".join(problems)


def test_every_source_quote_fact_and_argument_is_used():
    used = Counter((kind, i) for _, kind, i in _uses())
    unused = [f"{item['kind']} {item['id']} ({item['file'].relative_to(ROOT)})"
              for item in of_kind("source") if not used[("source", item["id"])]]
    assert not unused, "sources cited by no block, quote or fact:\n" + "\n".join(unused)
    # Every argument is in a brief: the three rebuilt letters use them all.
    unbuilt = [item["id"] for item in of_kind("argument") if not used[("argument", item["id"])]]
    assert not unbuilt, f"arguments no example brief uses: {unbuilt}"


def test_sources_are_complete_csl_items():
    problems = []
    types = {"report", "article-newspaper", "article-magazine", "article-journal", "article",
             "webpage", "post-weblog", "legal_case", "legislation", "bill", "letter",
             "personal_communication", "speech", "book", "chapter", "motion_picture"}
    for item in of_kind("source"):
        data, where = item["data"], f"{item['file'].relative_to(ROOT)} ({item['id']})"
        if data.get("type") not in types:
            problems.append(f"{where}: type {data.get('type')!r}")
        if not data.get("title"):
            problems.append(f"{where}: no title")
        if data.get("type") not in ("legal_case", "legislation", "bill") and not data.get("author"):
            problems.append(f"{where}: no author" if data.get("type") != "article-newspaper"
                            or not data.get("container-title") else "")
        for role in ("author", "recipient"):
            for person in data.get(role) or []:
                if not isinstance(person, dict) or not (person.get("literal") or person.get("family")):
                    problems.append(f"{where}: {role} entries are {{literal: ...}} or {{family:, given:}}")
        issued = data.get("issued")
        if data.get("type") != "webpage" or issued:
            parts = (issued or {}).get("date-parts") if isinstance(issued, dict) else None
            if not parts or not parts[0] or not all(isinstance(p, int) for p in parts[0]):
                problems.append(f"{where}: issued should be {{date-parts: [[YYYY, M, D]]}}")
            else:
                dt.date(*(list(parts[0]) + [1, 1])[:3])  # a real date
        url = data.get("URL")
        if url is not None and (not re.match(r"^https?://\S+$", str(url)) or str(url).endswith(("#", "-"))):
            problems.append(f"{where}: URL {url!r} is not a clean link")
        if data.get("type") == "legal_case" and not (data.get("authority")
                                                     and (data.get("volume") or data.get("number"))):
            problems.append(f"{where}: a case needs authority and a reporter cite or docket number")
        if data.get("genre") == "press release" and data.get("type") != "report":
            problems.append(f"{where}: press releases are type report with genre press release")
        if data.get("type") == "letter" and not data.get("recipient"):
            problems.append(f"{where}: a letter names its recipient")
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)


def test_one_item_per_work():
    """The same URL or title is never two sources (a report cited by two letters is one item)."""
    urls = Counter(str(i["data"].get("URL")) for i in of_kind("source") if i["data"].get("URL"))
    assert [u for u, n in urls.items() if n > 1] == []
    titles = Counter((str(i["data"].get("title")).lower(), str(i["data"].get("volume")))
                     for i in of_kind("source"))
    assert [t for t, n in titles.items() if n > 1] == []


def test_quotes_are_word_for_word_from_the_past_documents():
    problems = []
    for item in of_kind("quote"):
        data, where = item["data"], f"{item['file'].relative_to(ROOT)} ({item['id']})"
        text = _norm_words(str(data.get("text") or ""))
        if not text:
            problems.append(f"{where}: no text")
            continue
        if not any(text in past for past in PAST_NORMALIZED.values()):
            problems.append(f"{where}: text not found word for word in tests/past-letters: {text[:70]!r}")
        for key in ("speaker", "speaker-kind", "source", "date"):
            if not data.get(key):
                problems.append(f"{where}: no {key}")
        if data.get("speaker-kind") not in SPEAKER_KINDS:
            problems.append(f"{where}: speaker-kind {data.get('speaker-kind')!r} not in {sorted(SPEAKER_KINDS)}")
        if not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", str(data.get("date"))):
            problems.append(f"{where}: date should be YYYY-MM-DD (or YYYY-MM)")
    assert not problems, "\n".join(problems)


def test_quotes_the_issue_asks_for_are_there():
    speakers = " | ".join(str(q["data"]["speaker"]) for q in of_kind("quote"))
    for who in ("120 law enforcement professionals", "former prosecutors", "chief of police",
                "Task Force on 21st Century Policing", "Police Executive Research Forum",
                "National Sheriffs’ Association", "Members of Congress", "faith groups",
                "Department of Justice", "Naureen Shah", "Sirine Shebaya", "Nithya Nathan-Pineau",
                "Nayna Gupta", "Andrea Carcamo", "Kary Moss", "Joe Biden"):
        assert who in speakers, f"no quote from {who}"


def test_facts_have_as_of_and_a_source():
    problems = []
    for item in of_kind("fact"):
        data, where = item["data"], f"{item['file'].relative_to(ROOT)} ({item['id']})"
        as_of = data.get("as-of")
        if not isinstance(as_of, dt.date):
            problems.append(f"{where}: as-of should be a date written YYYY-MM-DD, not {as_of!r}")
        source = BY_ID.get(str(data.get("source")))
        if not source or source["kind"] != "source":
            problems.append(f"{where}: source {data.get('source')!r} is not a source in the library")
        if not str(data.get("text") or "").strip():
            problems.append(f"{where}: no text")
    assert not problems, "\n".join(problems)


def test_facts_the_issue_asks_for_are_there():
    texts = " | ".join(str(f["data"]["text"]) for f in of_kind("fact"))
    for figure in ("34 ", "142 ", "138 ", "54 ", "65%", "77%", "160,000", "$14 million",
                   "60 members of Congress", "25 faith groups", "170 ", "five times"):
        assert figure in texts, f"no fact with {figure!r}"


def test_recipients_and_signatories():
    for item in of_kind("recipient"):
        assert item["data"].get("name"), item["id"]
    mayorkas = BY_ID["dhs-secretary-mayorkas"]["data"]
    assert mayorkas["salutation"] == "Dear Secretary Mayorkas,"
    assert mayorkas["address"] == ["Washington, DC 20528"]
    for item in of_kind("signatories"):
        signers = item["data"].get("signers")
        assert signers and isinstance(signers, list), item["id"]
        for signer in signers:
            assert isinstance(signer, str) or signer.get("name"), (item["id"], signer)


def test_the_june_2023_sign_on_list_is_complete_and_in_order():
    text = PAST_TEXTS["2023-06-15-coalition-doj-profiling-guidance-letter.txt"]
    block = text.split("\nSincerely,\n", 1)[1].split("\nCc:", 1)[0]
    expected = [line.strip() for line in block.splitlines()
                if line.strip() and not re.match(r"^[\u00b9\u00b2\u00b3\u2070-\u2079]", line.strip())]
    assert BY_ID["coalition-2023-06-15"]["data"]["signers"] == expected
    assert len(expected) == 102


def test_the_seven_groups_and_the_members_of_congress():
    seven = BY_ID["seven-groups-2023-02-21"]["data"]["signers"]
    assert len(seven) == 7
    text = _norm_words(PAST_TEXTS["2023-02-21-seven-groups-end-287g-letter.txt"])
    assert _norm_words(" ".join(seven)) in text
    members = BY_ID["congress-2021-02-11"]["data"]["signers"]
    letter = PAST_TEXTS["2021-02-11-members-of-congress-end-entanglement-letter.txt"]
    for member in members:
        assert member["name"] in letter
        assert member["title"] == "Member of Congress"
    assert [m["name"] for m in members[:3]] == ["Jan Schakowsky", "Adriano Espaillat", "Mike Quigley"]
    assert all(m.get("signature") == "/s/" for m in members[3:])


@pytest.mark.parametrize("path", [p for p, _ in BRIEF_DATA], ids=lambda p: p.name)
def test_example_briefs_are_well_formed(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schemas/brief.schema.json"
    brief = dict(BRIEF_DATA)[path]
    assert brief["library"] == "../.."
    assert (path.parent / brief["library"] / "snippets").is_dir()
    allowed = {"template", "date", "to", "via", "subject", "vars", "body", "closing", "signoff",
               "signatories", "contact", "cc", "notes", "citations", "library", "letterhead",
               "author", "salutation", "stale-after", "press", "addresses"}
    assert set(brief) <= allowed, set(brief) - allowed
    assert isinstance(brief["date"], dt.date)
    kinds = [next(k for k in entry if k in ("text", "argument", "heading", "asks", "quote"))
             for entry in brief["body"]]
    assert "argument" in kinds


def test_the_new_letter_draws_on_all_three_past_letters():
    brief = yaml.safe_load((BRIEFS / "new-letter-2026-county-287g.yaml").read_text(encoding="utf-8"))
    origins = {str(BY_ID[e["argument"]]["data"]["origin"])[:10]
               for e in brief["body"] if isinstance(e, dict) and "argument" in e}
    assert {"2021-02-11", "2023-02-21", "2023-06-15"} <= origins
    assert brief["to"] != "dhs-secretary-mayorkas"
    assert brief.get("vars"), "the new letter sets variables of its own"


def test_the_february_2023_brief_keeps_lower_roman_endnotes():
    brief = dict(BRIEF_DATA)[BRIEFS / "2023-02-21-seven-groups-end-287g.yaml"]
    assert brief["notes"] == {"placement": "endnotes", "numbering": "lower-roman"}
