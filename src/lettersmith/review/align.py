"""Which block of the build record each paragraph of a reviewed letter came from.

First the ``_lsb<n>`` bookmarks (``mapped_by="bookmark"``).  Paragraphs left over
(every one, when the text was pasted into a fresh document) are aligned with the
record's paragraphs by their words, in letter order: between two bookmarked
blocks only the record blocks between them are candidates, and within that gap
a dynamic programme picks the order-keeping pairs of greatest total similarity
(each at least :data:`THRESHOLD`).  A leftover paragraph between two paragraphs
of the same block, or next to one and mostly made of its words (a paragraph the
reviewer split), joins that block.  These get ``mapped_by="text"``.
"""
from __future__ import annotations

import difflib
import re
import unicodedata

from .model import BuildRecord, ReviewedDoc, RPara

THRESHOLD = 0.5  # word-sequence similarity for a paragraph to match
CONTAINED = 0.8  # share of a split-off paragraph's words found in its neighbour's block
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " ", "\u00ad": ""})
_WORD = re.compile(r"\w+(?:['-]\w+)*")


def words(text: str) -> list[str]:
    """Normalized words: case, quote marks, dashes and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return _WORD.findall(text)


def similarity(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < THRESHOLD or matcher.quick_ratio() < THRESHOLD:
        return 0.0
    return matcher.ratio()


def _para_words(p: RPara) -> list[str]:
    """The paragraph as lettersmith would have seen it: before tracked changes,
    else (a paragraph the reviewer inserted with tracking on) after them."""
    return words(p.rejected()) or words(p.accepted())


def _match(paras: list[RPara], targets: list[tuple[int, list[str]]]) -> dict[int, int]:
    """Order-keeping best pairs: paragraph position -> record block index."""
    pw = [_para_words(p) for p in paras]
    n, m = len(paras), len(targets)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    sims: dict[tuple[int, int], float] = {}
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            sim = similarity(pw[i], targets[j][1])
            if sim >= THRESHOLD:
                sims[i, j] = sim
                best = max(best, sim + score[i + 1][j + 1])
            score[i][j] = best
    out: dict[int, int] = {}
    i = j = 0
    while i < n and j < m:
        sim = sims.get((i, j))
        if sim is not None and score[i][j] == sim + score[i + 1][j + 1]:
            out[i] = targets[j][0]
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def _by_bookmarks(doc: ReviewedDoc, count: int) -> None:
    for n, (first, last) in sorted(doc.bookmarks.items()):
        if not 0 <= n < count:
            continue
        for p in doc.paragraphs[first:last + 1]:
            if p.block is None:
                p.block, p.mapped_by = n, "bookmark"


def _gaps(doc: ReviewedDoc, count: int) -> list[tuple[list[RPara], int, int]]:
    """Runs of unmapped paragraphs with the block indexes bounding them."""
    out: list[tuple[list[RPara], int, int]] = []
    run: list[RPara] = []
    low = -1
    for p in doc.paragraphs:
        if p.block is None:
            run.append(p)
            continue
        if run:
            out.append((run, low, p.block))
            run = []
        low = max(low, p.block)
    if run:
        out.append((run, low, count))
    return out


def _join_neighbours(doc: ReviewedDoc, record: BuildRecord) -> None:
    """Leftovers inside one block's paragraphs, or split off from a neighbour."""
    paras = doc.paragraphs
    for i, p in enumerate(paras):
        if p.block is not None or not (p.accepted().strip() or p.rejected().strip()):
            continue
        before = next((q.block for q in reversed(paras[:i]) if q.block is not None), None)
        after = next((q.block for q in paras[i + 1:] if q.block is not None), None)
        if before is not None and before == after:
            p.block, p.mapped_by = before, "text"
            continue
        mine = set(_para_words(p))
        for k in (before, after):
            prev_or_next = paras[i - 1] if k == before and i else \
                paras[i + 1] if i + 1 < len(paras) else None
            if k is None or prev_or_next is None or prev_or_next.block != k or len(mine) < 4:
                continue
            theirs = set(words(" ".join(record.blocks[k].paragraphs)))
            if len(mine & theirs) >= CONTAINED * len(mine):
                p.block, p.mapped_by = k, "text"
                break


def align(doc: ReviewedDoc, record: BuildRecord | None = None) -> ReviewedDoc:
    """Set ``block`` and ``mapped_by`` on the paragraphs of ``doc``, in place."""
    record = record or doc.record
    if record is None:
        return doc
    count = len(record.blocks)
    _by_bookmarks(doc, count)
    taken = {p.block for p in doc.paragraphs if p.block is not None}
    for run, low, high in _gaps(doc, count):
        targets = [(k, words(text)) for k in range(low + 1, min(high, count))
                   if k not in taken for text in record.blocks[k].paragraphs]
        for pos, k in _match(run, targets).items():
            run[pos].block, run[pos].mapped_by = k, "text"
    _join_neighbours(doc, record)
    return doc


def mapped_blocks(doc: ReviewedDoc, record: BuildRecord | None = None
                  ) -> dict[int, str]:
    """Record block index -> how it was found ("bookmark" or "text"), for those found."""
    record = record or doc.record
    out: dict[int, str] = {}
    for p in doc.paragraphs:
        if p.block is not None and (out.get(p.block) != "bookmark"):
            out[p.block] = p.mapped_by
    return out
