"""Quoting the letter in its release: words found in the letter, or a chosen sentence
of one of its argument blocks, so the release can only quote what the letter says."""
from __future__ import annotations

import re

from .. import model as m
from ..errors import LettersmithError, suggest
from ..render import md_escape

_SENTENCE_END = re.compile(r"(?<=[.!?])[\u201d\u2019\"')]*\s+(?=[\u201c\"(]?[A-Z0-9])")


def block_texts(doc: m.Document) -> dict[str, str]:
    """The text of each argument block by id, and the whole letter under ''."""
    texts = {"": m.plain_text(doc.blocks)}
    for node in m.walk(doc.blocks, into_notes=False):
        if isinstance(node, m.Div) and node.kind == "snippet":
            texts[node.attrs.get("id", "")] = m.plain_text(node.blocks)
        elif isinstance(node, m.Div) and node.kind == "block" and node.attrs.get("from"):
            # a text block with from: (review --apply brief) is still that argument's text
            texts[node.attrs["from"]] = m.plain_text(node.blocks)
    return texts


def _norm(text: str) -> str:
    text = re.sub(r"[\u201c\u201d\"]", '"', text)
    text = re.sub(r"[\u2018\u2019']", "'", text)
    return re.sub(r"\s+", " ", text).strip()


def sentences(text: str) -> list[str]:
    """A block cut into sentences at . ! or ? followed by a capital (abbreviations such
    as "U.S. Attorney" are cut too: choose words: for those)."""
    return [s.strip() for s in _SENTENCE_END.split(re.sub(r"\s+", " ", text)) if s.strip()]


def quote_from_letter(entry: dict, index: int, texts: dict[str, str], brief_file: str,
                      line: int, plural: bool = True) -> str:
    """One ``letter-quotes`` entry as Markdown: the intro, then the words in curly quotes.

    The words must be the letter's (whitespace and quote marks aside); a final period
    goes inside the closing quotation mark, as American style has it.
    """
    block = str(entry.get("from") or "")
    if block and block not in texts:
        raise LettersmithError(f"press.letter-quotes item {index + 1}: the letter has no "
                               f"argument {block!r}", file=brief_file, line=line,
                               hint=suggest(block, [k for k in texts if k])
                               or "from: takes the id of an argument in the letter's body")
    text = texts[block]
    if "sentence" in entry:
        found = sentences(text)
        number = int(entry["sentence"])
        if not 1 <= number <= len(found):
            raise LettersmithError(f"press.letter-quotes item {index + 1}: argument {block!r} "
                                   f"has {len(found)} sentences, not {number}",
                                   file=brief_file, line=line,
                                   hint=f"choose sentence: 1 to {len(found)}")
        words = found[number - 1]
    else:
        words = str(entry["words"]).strip()
        if _norm(words).rstrip(".") not in _norm(text):
            where = f"argument {block!r}" if block else "the letter"
            raise LettersmithError(f"press.letter-quotes item {index + 1}: {where} does not say "
                                   f"{words[:80]!r}", file=brief_file, line=line,
                                   hint="copy the words from the letter exactly (build the "
                                        "letter with -f txt to see its text)")
    if words[-1:] not in ".!?,":
        words += "."
    default = "The letter says," if index else ("write," if plural else "writes,")
    intro = str(entry.get("intro") or default)
    return f"{intro} \u201c{md_escape(words)}\u201d"
