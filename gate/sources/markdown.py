"""Markdown parsed with markdown-it-py (CommonMark + tables + front matter) into what checks need:
front matter, headings with GitHub-style anchors, sections, links with their lines."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from gate.sources.yamlfile import YamlError, load

_MD: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _MD
    if _MD is None:
        _MD = MarkdownIt("commonmark", {"maxNesting": 50}).use(front_matter_plugin).enable("table")
    return _MD


def slugify(text: str, seen: dict[str, int] | None = None) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to ``-``; repeats get ``-N``."""
    s = unicodedata.normalize("NFKC", text).strip().lower()
    s = "".join(ch for ch in s if ch.isalnum() or ch in " -_")
    s = s.replace(" ", "-")
    if seen is not None:
        n = seen.get(s, 0)
        seen[s] = n + 1
        if n:
            s = f"{s}-{n}"
    return s


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int  # 1-based
    anchor: str


@dataclass(frozen=True)
class Link:
    href: str
    line: int
    image: bool = False


@dataclass(frozen=True)
class Section:
    heading: Heading
    end_line: int  # last line (1-based, inclusive) before the next heading of same or higher level
    text: str  # the section's body text (headings of subsections included), stripped
    list_items: int  # top-level list items directly in the section
    fences: int  # fenced or indented code blocks anywhere in the section


@dataclass
class MarkdownDoc:
    path: str
    text: str
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    front_matter: Any = None  # parsed data, or None when there is none
    front_matter_error: YamlError | None = None
    front_matter_line: int | None = None  # line of the opening ``---``
    _anchors: tuple[int, frozenset[str]] | None = field(default=None, repr=False, compare=False)
    _folded: tuple[int, frozenset[str]] | None = field(default=None, repr=False, compare=False)

    @property
    def title_line(self) -> int:
        """Where a finding about something missing goes: the first heading (or line 1)."""
        return self.headings[0].line if self.headings else 1

    @property
    def anchors(self) -> frozenset[str]:
        """The headings' anchors, computed once (a page with thousands of links asks per link)."""
        if self._anchors is None or self._anchors[0] != len(self.headings):
            self._anchors = (len(self.headings), frozenset(h.anchor for h in self.headings))
        return self._anchors[1]

    @property
    def anchors_folded(self) -> frozenset[str]:
        """:attr:`anchors` lower-cased, computed once."""
        if self._folded is None or self._folded[0] != len(self.headings):
            self._folded = (len(self.headings), frozenset(a.lower() for a in self.anchors))
        return self._folded[1]

    def find_sections(self, *needles: str) -> list[Section]:
        """Sections whose heading contains any of ``needles`` (case-insensitive)."""
        out = []
        for s in self.sections:
            t = s.heading.text.lower()
            if any(n.lower() in t for n in needles):
                out.append(s)
        return out

    def section(self, *needles: str) -> Section | None:
        found = self.find_sections(*needles)
        return found[0] if found else None


_WS = re.compile(r"\s+")


def _inline_links(tok: Token, base_line: int) -> list[Link]:
    out: list[Link] = []
    line = base_line
    for child in tok.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "text" or child.type == "code_inline":
            line += child.content.count("\n")
        elif child.type == "link_open":
            out.append(Link(str(child.attrs.get("href", "")), line))
        elif child.type == "image":
            out.append(Link(str(child.attrs.get("src", "")), line, image=True))
    return out


def parse(path: str, text: str) -> MarkdownDoc:
    tokens = _parser().parse(text)
    doc = MarkdownDoc(path, text)
    seen: dict[str, int] = {}
    # (heading, index of its heading_open token)
    heads: list[tuple[Heading, int]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "front_matter" and i == 0:
            doc.front_matter_line = 1
            try:
                doc.front_matter = load(tok.content)
                if doc.front_matter is None:
                    doc.front_matter = {}
            except YamlError as exc:
                doc.front_matter_error = YamlError(
                    exc.message, (exc.line + 1) if exc.line is not None else 1
                )
        elif tok.type == "heading_open" and tok.map:
            inline = tokens[i + 1]
            text_ = _WS.sub(" ", "".join(c.content for c in (inline.children or []) if c.type in ("text", "code_inline"))).strip()
            h = Heading(int(tok.tag[1:]), text_, tok.map[0] + 1, slugify(text_, seen))
            heads.append((h, i))
            doc.headings.append(h)
        elif tok.type == "inline" and tok.map:
            doc.links.extend(_inline_links(tok, tok.map[0] + 1))
    lines = text.splitlines()
    nlines = len(lines)
    for n, (h, idx) in enumerate(heads):
        end_idx = len(tokens)
        end_line = nlines
        for h2, idx2 in heads[n + 1 :]:
            if h2.level <= h.level:
                end_idx = idx2
                end_line = h2.line - 1
                break
        body = tokens[idx + 3 : end_idx]
        depth = 0
        items = 0
        fences = 0
        for t in body:
            if t.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif t.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            elif t.type == "list_item_open" and depth == 1:
                items += 1
            elif t.type in ("fence", "code_block"):
                fences += 1
        body_text = "\n".join(lines[h.line : end_line]).strip()
        doc.sections.append(Section(h, end_line, body_text, items, fences))
    return doc


# -- what a reader sees ---------------------------------------------------------------------------

_PLAIN: MarkdownIt | None = None
#: characters that render as nothing (besides white space and the format/control categories)
_BLANKS = frozenset("\u115f\u1160\u180e\u2800\u3164\uffa0")
#: what can make text vanish when rendered besides HTML and entities: a line opening a link
#: definition or a fence (its info string), and a link's destination
_HIDING_LINE = re.compile(r"(?m)^ {0,3}(?:\[|```|~~~)")
_DESTINATION = re.compile(r"\]\([^)]*\)")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"})
_NEVER_SHOWN = frozenset({"script", "style", "template", "head", "title", "noscript"})


def _visible_char(ch: str) -> bool:
    return not ch.isspace() and ch not in _BLANKS and unicodedata.category(ch) not in ("Cf", "Cc", "Co", "Cn", "Zs")


def visible_text(text: str) -> str:
    """What a reader sees of Markdown ``text`` once rendered (CommonMark, HTML allowed, as GitHub
    and API portals render descriptions): HTML comments, elements that are ``hidden`` (the
    attribute, ``display:none``, ``visibility:hidden``) or never shown (``<script>``,
    ``<template>``…), link reference definitions, a fence's info string and zero-width or other
    invisible characters leave nothing; white space is collapsed. Empty when nothing shows."""
    if "<" not in text and "&" not in text and not _HIDING_LINE.search(text):
        # no HTML, no entity, no link definition or fence: only a link's destination hides
        # letters; a letter elsewhere shows (block syntax hides only markers and digits)
        shown = _DESTINATION.sub("]", text)
        if any(ch.isalpha() for ch in shown):
            return " ".join("".join(ch if _visible_char(ch) or ch.isspace() else "" for ch in shown).split())
    global _PLAIN
    if _PLAIN is None:
        _PLAIN = MarkdownIt("commonmark", {"maxNesting": 50}).enable("table")
    from html.parser import HTMLParser

    out: list[str] = []

    class Visible(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.stack: list[tuple[str, bool]] = []  # open elements, and whether each hides

        def hidden(self) -> bool:
            return any(h for _, h in self.stack)

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = {k.lower(): (v or "") for k, v in attrs}
            style = a.get("style", "").replace(" ", "").lower()
            hides = ("hidden" in a or tag in _NEVER_SHOWN or "display:none" in style
                     or "visibility:hidden" in style)
            if tag == "img" and not hides and not self.hidden():
                out.append(" " + a.get("alt", "") + " ")
            if tag not in _VOID:
                self.stack.append((tag, hides))

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "img":
                self.handle_starttag(tag, attrs)

        def handle_endtag(self, tag: str) -> None:
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i][0] == tag:
                    del self.stack[i:]
                    break

        def handle_data(self, data: str) -> None:
            if not self.hidden():
                out.append(data)

    parser = Visible()
    parser.feed(_PLAIN.render(text))
    parser.close()
    return " ".join("".join(ch if _visible_char(ch) or ch.isspace() else "" for ch in "".join(out)).split())
