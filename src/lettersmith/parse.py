"""Markdown (CommonMark + pandoc-style citations, ``^[...]`` notes and ``:::``
parts) into the document model, through markdown-it-py and one small inline rule."""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import model as m
from .typography import fix_text

if TYPE_CHECKING:  # markdown-it-py is imported when a parse needs it (start-up time)
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

# One citation inside brackets: "See, e.g., @id, at 12 (parenthetical)".
_ITEM = re.compile(r"^(?P<prefix>.*?)(?<![\w@])@(?P<id>[A-Za-z0-9_][\w:.-]*?)"
                   r"(?P<rest>(?:[.:]?(?=[\s,;(]|$)).*)$", re.S)
_LOCATOR_LABEL = re.compile(r"^(?:at|p\.|pp\.|page|pages)\s+", re.I)


_BARE_ID = re.compile(r"(?<![\w@\[])@([A-Za-z0-9_](?:[\w:.-]*[A-Za-z0-9_])?)")
_ANY_ID = re.compile(r"(?<![\w@])@([A-Za-z0-9_](?:[\w:.-]*[A-Za-z0-9_])?)")
_COMPARE = r",\s*(?=(?:with|and)\s+@)"


@lru_cache(maxsize=4)
def _scanner(separator: str) -> re.Pattern[str]:
    return re.compile(r"([()\[\]])|(" + separator + ")")


def _split_top(text: str, separator: str) -> list[str]:
    """``text`` split where ``separator`` matches outside parentheses and brackets."""
    parts, depth, start = [], 0, 0
    for match in _scanner(separator).finditer(text):
        if match.group(1):
            depth += 1 if match.group(1) in "([" else -1
        elif depth == 0:
            parts.append(text[start:match.start()])
            start = match.end()
    return parts + [text[start:]]


def parse_cite_items(content: str) -> list[m.CiteItem] | None:
    """The items of a bracketed citation, or None when ``content`` is not one.

    Items are separated by semicolons; ``Compare @a, with @b`` makes two items
    joined by a comma.  A parenthetical may name further sources (``quoting @b``).
    """
    items = []
    for part in _split_top(content, ";"):
        for index, piece in enumerate(_split_top(part, _COMPARE)):
            item = _parse_item(piece)
            if item is None:
                return None
            item.joiner = ", " if index else "; "
            items.append(item)
    return items


def _parse_item(text: str) -> m.CiteItem | None:
    match = _ITEM.match(text.strip())
    if not match:
        return None
    rest = match.group("rest").strip()
    if rest.startswith((".", ":")):
        rest = rest[1:].strip()
    locator, suffix = "", ""
    if rest.startswith(","):
        rest = rest[1:].strip()
        label = _LOCATOR_LABEL.match(rest)  # "at (g)(1)": a labelled pin may open with "("
        rest = rest[label.end():] if label else rest
        paren = rest.find(" (")
        if rest.startswith("(") and not label:
            suffix = rest
        elif paren >= 0:
            locator, suffix = rest[:paren], rest[paren + 1:]
        else:
            locator = rest
    else:
        suffix = rest
    if _ANY_ID.search(locator):  # "@a, at 4, see @b": the words citing @b are no pin
        parts = locator.split(",")
        cut = next(i for i, part in enumerate(parts) if _ANY_ID.search(part))
        locator = ",".join(parts[:cut]).strip()
        suffix = f", {','.join(parts[cut:]).strip()} {suffix}".rstrip()
    return m.CiteItem(match.group("id"), match.group("prefix").strip(), locator.strip(),
                      suffix.strip())


def cite_ids(items: list[m.CiteItem]) -> list[str]:
    """Every source id the items name: their own and those in their parentheticals."""
    ids: list[str] = []
    for item in items:
        ids.append(item.id)
        for text in (item.prefix, item.locator, item.suffix):
            ids.extend(_ANY_ID.findall(text))
    return ids


def nested_cites(text: str) -> str:
    """A parenthetical with every bare ``@id`` made a bracketed citation ``[@id]``."""
    return _BARE_ID.sub(r"[@\1]", text)


def cite_spans(text: str, longest: int = 1000) -> list[tuple[int, list[m.CiteItem]]]:
    """Each bracketed citation in Markdown ``text`` (brackets may nest), with its offset.

    One pass pairs the brackets; the outermost pair that is a citation wins, and
    pairs longer than ``longest`` characters are not citations (bounded time).
    """
    pairs, opened, last_at = [], [], -1
    for pos, char in enumerate(text):
        if char == "@":
            last_at = pos
        elif char == "[":
            opened.append(pos)
        elif char == "]" and opened:
            start = opened.pop()
            if pos - start <= longest and last_at > start:
                pairs.append((start, pos))
    spans, covered = [], -1
    for start, end in sorted(pairs):
        if start < covered:
            continue
        items = parse_cite_items(text[start + 1:end])
        if items:
            spans.append((start, items))
            covered = end
    return spans


def _cite_rule(state: StateInline, silent: bool) -> bool:
    """``[@id]``-style citations, tried before links."""
    start = state.pos
    if state.src[start] != "[" or "@" not in state.src[start:start + 200]:
        return False
    end = state.md.helpers.parseLinkLabel(state, start, False)
    if end < 0 or state.src[end + 1:end + 2] in ("(", "["):
        return False
    items = parse_cite_items(state.src[start + 1:end])
    if items is None:
        return False
    if not silent:
        token = state.push("cite", "", 0)
        token.meta = {"items": items, "line_offset": state.src.count("\n", 0, start)}
    state.pos = end + 1
    return True


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """The one configured parser (built once per process)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.container import container_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    # Straight quotes typed in a brief become typographic ones, as the library's are;
    # only smartquotes: "replacements" would turn a statute's "(c)" into a copyright sign.
    md = MarkdownIt("commonmark", {"typographer": True}).enable("smartquotes")
    md.use(footnote_plugin)
    md.use(container_plugin, "part", validate=lambda params, *args: bool(params.strip()))
    md.inline.ruler.before("link", "cite", _cite_rule)
    return md


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """``::: signatures columns=2`` -> ("signatures", {"columns": "2"})."""
    words = info.strip().strip("{}").split()
    kind = words[0].lstrip(".") if words else "part"
    attrs = {}
    for word in words[1:]:
        key, _, value = word.partition("=")
        attrs[key.lstrip(".")] = value.strip('"') if value else "true"
    return kind, attrs


class _Converter:
    """Turns markdown-it's flat token stream into nested model nodes."""

    def __init__(self, tokens: list[Token], env: dict[str, Any]) -> None:
        self.tokens = tokens
        self.env = env
        self.footnotes: dict[int, list[m.Block]] = {}
        self.keep_lines = 0  # inside parts, soft line breaks stay line breaks

    def run(self) -> list[m.Block]:
        body_end = len(self.tokens)
        for index, token in enumerate(self.tokens):
            if token.type == "footnote_block_open":
                body_end = index
                self._read_footnotes(index + 1)
                break
        blocks, _ = self.blocks(0, body_end, None)
        return blocks

    def _read_footnotes(self, pos: int) -> None:
        while pos < len(self.tokens) and self.tokens[pos].type == "footnote_open":
            note_id = self.tokens[pos].meta["id"]
            end = pos + 1
            while self.tokens[end].type != "footnote_close":
                end += 1
            self.footnotes[note_id], _ = self.blocks(pos + 1, end, None)
            pos = end + 1

    def blocks(self, pos: int, end: int, closer: str | None) -> tuple[list[m.Block], int]:
        out: list[m.Block] = []
        while pos < end:
            token = self.tokens[pos]
            kind = token.type
            if closer and kind == closer:
                return out, pos + 1
            if kind == "paragraph_open":
                out.append(m.Para(self.inlines(self.tokens[pos + 1])))
                pos += 3
            elif kind == "heading_open":
                out.append(m.Heading(int(token.tag[1]), self.inlines(self.tokens[pos + 1])))
                pos += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                items = []
                pos += 1
                close = kind.replace("open", "close")
                while self.tokens[pos].type != close:
                    item, pos = self.blocks(pos + 1, end, "list_item_close")
                    items.append(item)
                start = int(token.attrs.get("start", 1) or 1)
                out.append(m.ListBlock(kind.startswith("ordered"), items, start))
                pos += 1
            elif kind == "blockquote_open":
                inner, pos = self.blocks(pos + 1, end, "blockquote_close")
                out.append(m.BlockQuote(inner))
            elif kind == "container_part_open":
                name, attrs = parse_info(token.info)
                keep = name not in ("snippet", "block", "body-item")  # body items read as build reads them
                self.keep_lines += keep
                inner, pos = self.blocks(pos + 1, end, "container_part_close")
                self.keep_lines -= keep
                out.append(m.Div(name, inner, attrs))
            elif kind in ("fence", "code_block"):
                out.append(m.Para([m.Code(token.content.rstrip("\n"))]))
                pos += 1
            elif kind == "html_block":
                out.append(m.Para([m.Str(token.content.strip())]))
                pos += 1
            else:  # hr, footnote anchors and anything else carry no text
                pos += 1
        return out, pos

    def inlines(self, token: Token) -> list[m.Inline]:
        base_line = token.map[0] + 1 if token.map else None
        stack: list[list[m.Inline]] = [[]]
        opened: list[m.Inline] = []
        for child in token.children or []:
            kind = child.type
            top = stack[-1]
            if kind == "text" or (kind == "softbreak" and not self.keep_lines):
                text = fix_text(child.content) if kind == "text" else " "
                if top and isinstance(top[-1], m.Str):
                    top[-1].text += text
                else:
                    top.append(m.Str(text))
            elif kind == "softbreak":
                top.append(m.LineBreak())
            elif kind == "hardbreak":
                top.append(m.LineBreak())
            elif kind == "code_inline":
                top.append(m.Code(child.content))
            elif kind in ("em_open", "strong_open", "link_open"):
                node: m.Inline
                if kind == "em_open":
                    node = m.Emph([])
                elif kind == "strong_open":
                    node = m.Strong([])
                else:
                    node = m.Link([], str(child.attrs.get("href", "")))
                top.append(node)
                opened.append(node)
                stack.append(node.children)  # type: ignore[union-attr]
            elif kind in ("em_close", "strong_close", "link_close"):
                stack.pop()
                opened.pop()
            elif kind == "footnote_ref":
                blocks = self.footnotes.get(child.meta["id"], [])
                if child.meta.get("subId"):
                    blocks = copy.deepcopy(blocks)
                top.append(m.Note(blocks))
            elif kind == "cite":
                line = base_line + child.meta["line_offset"] if base_line else None
                top.append(m.Cite(list(child.meta["items"]), line))
            elif kind == "image":
                top.append(m.Str(child.content))
            elif kind == "html_inline":
                top.append(m.Str(child.content))
        return stack[0]


def parse_markdown(text: str) -> list[m.Block]:
    """Parse Markdown into model blocks (citations left as ``Cite`` inlines)."""
    env: dict[str, Any] = {}
    tokens = markdown().parse(text, env)
    return _Converter(tokens, env).run()


# Text Markdown reads as itself: no markup, entity, escape or block marker.
_PLAIN = re.compile(r"[A-Za-z(][A-Za-z0-9 ,.;:()/-]*(?<! )")  # no quotes: smartquotes


def parse_inline(text: str) -> list[m.Inline]:
    """Parse one line of Markdown (a signal, a parenthetical) into inlines.

    Plain text is its own parse (a property test checks it), so a letter whose
    parentheticals have no markup never builds the Markdown parser."""
    if _PLAIN.fullmatch(text):
        return [m.Str(fix_text(text))]
    blocks = parse_markdown(text)
    if len(blocks) == 1 and isinstance(blocks[0], m.Para):
        return blocks[0].inlines
    return [m.Str(text)] if text else []
