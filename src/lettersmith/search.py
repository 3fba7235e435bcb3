"""Ranking library items for ``snippets search``: BM25F over id, title, tags and
text, with field weights, and a bonus for items that match every query word."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from . import style
from .library import Item, Library

FIELD_WEIGHTS = {"id": 3.0, "title": 3.0, "tags": 2.5, "text": 1.0}
K1, B = 1.2, 0.75
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_TEMPLATE = re.compile(r"\{[{%#].*?[}%#]\}", re.S)
_CITE = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")


def stem(word: str) -> str:
    """A light stemmer: possessives and plurals (detainers -> detainer, policies -> policy)."""
    word = word.removesuffix("'s").replace("'", "")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower().replace("\u2019", "'"))]


def item_fields(item: Item) -> dict[str, str]:
    """The searchable text of an item, by field."""
    data = item.data
    text = ""
    title = str(data.get("title") or "")
    if item.kind == "argument":
        text = _CITE.sub(" ", _TEMPLATE.sub(" ", item.body))
        text += " " + str(data.get("origin") or "") + " " + str(data.get("description") or "")
    elif item.kind == "source":
        text = " ".join([style.author_text(data), str(data.get("container-title") or ""),
                         str(data.get("publisher") or ""), str(data.get("title-short") or "")])
    elif item.kind in ("quote", "fact"):
        text = " ".join(str(data.get(k) or "") for k in ("text", "speaker", "context"))
    elif item.kind == "recipient":
        title = str(data.get("name") or "") + " " + str(data.get("title") or "")
        text = str(data.get("organization") or "")
    elif item.kind == "signatories":
        text = " ".join(str(s.get("name") if isinstance(s, dict) else s)
                        for s in data.get("signers") or [])
    return {"id": item.id.replace("-", " "), "title": title, "tags": " ".join(item.tags),
            "text": text}


@dataclass
class Hit:
    item: Item
    score: float
    matched: list[str]


def rank(items: Iterable[Item], query: str) -> list[Hit]:
    """Items matching any query word, best first."""
    words = list(dict.fromkeys(tokens(query)))
    docs = [(item, {f: Counter(tokens(t)) for f, t in item_fields(item).items()}) for item in items]
    if not words or not docs:
        return []
    n = len(docs)
    avg = {f: (sum(sum(d[f].values()) for _, d in docs) / n) or 1.0 for f in FIELD_WEIGHTS}
    df = {w: sum(1 for _, d in docs if any(d[f][w] for f in FIELD_WEIGHTS)) for w in words}
    hits = []
    for item, fields in docs:
        score, matched = 0.0, []
        for word in words:
            weighted = sum(weight * fields[f][word] / (1 - B + B * sum(fields[f].values()) / avg[f])
                           for f, weight in FIELD_WEIGHTS.items())
            if weighted:
                idf = math.log(1 + (n - df[word] + 0.5) / (df[word] + 0.5))
                score += idf * weighted / (K1 + weighted)
                matched.append(word)
        if matched:
            hits.append(Hit(item, score * len(matched) / len(words), matched))
    hits.sort(key=lambda h: (-len(h.matched), -h.score, h.item.id))
    return hits


def search(library: Library, query: str, kinds: Iterable[str] = ()) -> list[Hit]:
    wanted = set(kinds)
    return rank((i for i in library.items.values() if not wanted or i.kind in wanted), query)
