"""Markdown parsed with markdown-it-py (CommonMark + tables + front matter) into what checks need:
front matter, headings with GitHub-style anchors, sections, links with their lines."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from gate.budget import OutOfTime, cpu_budget
from gate.sources.yaml.parse import YamlError, load

_MD: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _MD
    if _MD is None:
        _MD = MarkdownIt("commonmark", {"maxNesting": 50}).use(front_matter_plugin).enable("table")
    return _MD


def slugify(text: str, seen: dict[str, int] | None = None) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to ``-``; a repeat gets the
    first free ``-N`` (github-slugger: headings "a-1", "a", "a" are ``a-1``, ``a``, ``a-2``).
    ``seen``: every anchor of the page so far, and per base the last N tried."""
    s = unicodedata.normalize("NFKC", text).strip().lower()
    s = "".join(ch for ch in s if ch.isalnum() or ch in " -_")
    s = s.replace(" ", "-")
    if seen is not None:
        base, out = s, s
        while out in seen:
            seen[base] += 1
            out = f"{base}-{seen[base]}"
        seen[out] = 0
        s = out
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
    #: lines of the headings a reader does not see on the rendered page (inside a hidden element
    #: such as ``<div hidden>`` or ``<details hidden>``, or with no visible text)
    hidden_headings: frozenset[int] = frozenset()
    #: anchors raw HTML defines (``<a id="x">``, ``<a name="x">``): links may point at them too
    html_anchors: set[str] = field(default_factory=set)
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
            self._anchors = (len(self.headings), frozenset(h.anchor for h in self.headings) | self.html_anchors)
        return self._anchors[1]

    @property
    def anchors_folded(self) -> frozenset[str]:
        """:attr:`anchors` lower-cased, computed once."""
        if self._folded is None or self._folded[0] != len(self.headings):
            self._folded = (len(self.headings), frozenset(a.lower() for a in self.anchors))
        return self._folded[1]

    def find_sections(self, *needles: str, hidden: bool = False) -> list[Section]:
        """Sections whose heading contains any of ``needles`` (case-insensitive) and shows on the
        rendered page (with ``hidden``: those whose heading does not show)."""
        out = []
        for s in self.sections:
            t = s.heading.text.lower()
            if any(n.lower() in t for n in needles) and (s.heading.line in self.hidden_headings) == hidden:
                out.append(s)
        return out

    def section(self, *needles: str) -> Section | None:
        found = self.find_sections(*needles)
        return found[0] if found else None


_WS = re.compile(r"\s+")


#: a raw HTML element that links or embeds (its attributes may quote ">"; no "<" inside a tag, so
#: that every attempt stops at the next "<": linear on hostile input)
_HTML_LINKING = re.compile(r"""<(a|img|source|video|audio|iframe)(?=[\s/>])((?:[^<>"']|"[^"<]*"|'[^'<]*')*)>""",
                           re.IGNORECASE)
_HTML_URL_ATTR = re.compile(r"""(?:^|\s)(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_HTML_ID = re.compile(r"""<[A-Za-z][A-Za-z0-9-]*\s(?:[^<>"']|"[^"<]*"|'[^'<]*')*?(?<=[\s"'])(?:id|name)\s*=\s*"""
                      r"""(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)


def _html_ids(html: str) -> set[str]:
    """The ``id`` and ``name`` values raw HTML gives its elements (outside comments)."""
    if "<" not in html:
        return set()
    html = _COMMENT.sub("", html)
    return {next(v for v in m.groups() if v is not None) for m in _HTML_ID.finditer(html)}


def _html_links(html: str, line: int) -> list[Link]:
    """The links of raw HTML (``<a href>``, ``<img src>``...) starting at ``line``: they render as
    links too. Comments are skipped (they never render)."""
    import html as htmllib

    if "<" not in html:
        return []
    html = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), html)
    out: list[Link] = []
    for m in _HTML_LINKING.finditer(html):
        tag = m.group(1).lower()
        for a in _HTML_URL_ATTR.finditer(m.group(2)):
            value = next(v for v in (a.group(2), a.group(3), a.group(4)) if v is not None)
            at = line + html.count("\n", 0, m.start() + len(m.group(1)) + 1 + a.start())
            out.append(Link(htmllib.unescape(value), at, image=tag != "a"))
    return out


def _inline_links(tok: Token, base_line: int, ids: set[str]) -> list[Link]:
    """The links of an inline token (adding the ids its raw HTML defines to ``ids``)."""
    out: list[Link] = []
    line = base_line
    for child in tok.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "text" or child.type == "code_inline":
            line += child.content.count("\n")
        elif child.type == "html_inline":
            out.extend(_html_links(child.content, line))
            ids.update(_html_ids(child.content))
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
            doc.links.extend(_inline_links(tok, tok.map[0] + 1, doc.html_anchors))
        elif tok.type == "html_block" and tok.map:
            doc.links.extend(_html_links(tok.content, tok.map[0] + 1))
            doc.html_anchors.update(_html_ids(tok.content))
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
    doc.hidden_headings = _hidden_headings(tokens, heads, text)
    return doc


def _hidden_headings(tokens: list[Token], heads: list[tuple[Heading, int]], text: str) -> frozenset[int]:
    """Lines of the headings that do not show once ``tokens`` (the whole document) are rendered: a
    heading inside a hidden element (``<div hidden>`` … ``</div>`` around it, an unclosed
    ``<div style="display:none">`` before it), or whose text shows nothing. A section's own text
    is judged alone (:func:`visible_text`); an element opened before its heading is seen only here.
    Rendering runs under the caller's CPU budget (the page's parse)."""
    import secrets

    hidden = {h.line for h, _ in heads if not _shown(h.text)}
    if not heads or _TAGGISH.search(text) is None:
        return frozenset(hidden)
    tag = f"head{secrets.token_hex(8)}n"
    opens = {idx: n for n, (_, idx) in enumerate(heads)}
    out: list[Token] = []
    current: int | None = None
    for i, t in enumerate(tokens):
        if t.type == "heading_close" and current is not None:
            out.append(Token("html_block", "", 0, content=f" {tag}{current}e "))
            current = None
        out.append(t)
        if i in opens:
            current = opens[i]
            out.append(Token("html_block", "", 0, content=f" {tag}{current}s "))
    md = _parser()
    shown = _html_visible(md.renderer.render(out, md.options, {}))
    # one pass over the markers (a search per heading would be quadratic on a page of many headings)
    starts: dict[int, int] = {}
    seen: set[int] = set()
    for m in re.finditer(f"{tag}([0-9]+)([se])", shown):
        n = int(m.group(1))
        if m.group(2) == "s":
            starts[n] = m.end()
        elif n in starts and shown[starts[n] : m.start()].strip():
            seen.add(n)
    hidden.update(h.line for n, (h, _) in enumerate(heads) if n not in seen)
    return frozenset(hidden)


# -- what a reader sees -----------------------------------------------------------------------
#: blank on screen although not white space: format characters are dropped by category (Cf:
#: zero-width space/joiners, BOM, soft hyphen, bidi marks), these by name
_BLANK_CHARS = frozenset("\u2800\u3164\uffa0\u115f\u1160\u034f")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"})
#: elements whose content is never shown
_UNSHOWN = frozenset({"script", "style", "template", "noscript", "head", "title", "textarea", "select", "option"})
_HIDING_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|font-size\s*:\s*0*(?:\.0*)?(?:px|em|rem|pt|%)?\s*(?:;|$)"
    r"|opacity\s*:\s*0*(?:\.0*)?\s*(?:;|$)", re.IGNORECASE)
_RENDER: MarkdownIt | None = None


def _renderer() -> MarkdownIt:
    """CommonMark with raw HTML and tables, no front matter: a section body that starts with
    ``---`` is a thematic break there, as on the rendered page."""
    global _RENDER
    if _RENDER is None:
        _RENDER = MarkdownIt("commonmark", {"maxNesting": 50, "html": True}).enable("table")
    return _RENDER


def _shown(text: str) -> str:
    """``text`` without the characters that show nothing, white space collapsed."""
    kept = "".join(ch for ch in text if ch not in _BLANK_CHARS and unicodedata.category(ch) != "Cf")
    return " ".join(kept.split())


def _drop_comments(html: str) -> str:
    """``html`` without its comments; an unclosed one hides the rest (as CommonMark renders it).
    One pass with ``str.find`` (Python's HTML parser rescans an unclosed comment: quadratic)."""
    out: list[str] = []
    i = 0
    while True:
        j = html.find("<!--", i)
        if j < 0:
            out.append(html[i:])
            break
        out.append(html[i:j])
        k = html.find("-->", j + 4)
        if k < 0:
            break
        i = k + 3
    return "".join(out)


def without_comments(text: str) -> str:
    """``text`` (Markdown or HTML) without its HTML comments (an unclosed one hides the rest): what
    names something on a page must not be inside one."""
    return _drop_comments(text)


_TAG_NAME = re.compile(r"(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/]|$)")
_ATTR_HIDDEN = re.compile(r"(?:^|[\s\"'])hidden(?=[\s=/]|$)|aria-hidden[ \t\r\n\f]*=[ \t\r\n\f]*[\"']?true",
                          re.IGNORECASE)
#: attributes up to the ">" that ends their tag: a quoted value (after "=") may hold ">"
_ATTRS = re.compile(r"""(?:[^"'>=]+|=[ \t\r\n\f]*"[^"]*"|=[ \t\r\n\f]*'[^']*'|=)*""")
_ATTR_STYLE = re.compile(r"style[ \t\r\n\f]*=[ \t\r\n\f]*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.IGNORECASE)


def _hides(tag: str, attrs: str) -> bool:
    if tag in _UNSHOWN or _ATTR_HIDDEN.search(attrs):
        return True
    m = _ATTR_STYLE.search(attrs)
    return m is not None and bool(_HIDING_STYLE.search(m.group(1)))


_HREF = re.compile(r"""(?:^|\s)href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)


def _html_visible(html: str, anchors: list[str] | None = None) -> str:
    """The text of ``html`` a browser shows. A linear scan of its own (Python's HTML parser is
    quadratic on crafted input such as ``<<<<…`` or an unclosed comment). ``anchors`` receives
    the ``href`` of each ``<a>`` whose text shows (outside hidden elements, not blank)."""
    import html as htmllib

    text = _drop_comments(html)
    out: list[str] = []
    opened: list[tuple[int, str]] = []  # open <a> elements that show: (where their text starts in out, href)
    stack: list[tuple[str, bool]] = []  # (open element, hides its content)
    hiding = 0  # hiding elements in ``stack``
    open_tags: dict[str, int] = {}
    i = 0
    next_lt = text.find("<")
    next_gt = -2
    while True:
        if next_lt < 0:
            if not hiding:
                out.append(text[i:])
            break
        if not hiding:
            out.append(text[i:next_lt])
        if next_gt < next_lt + 1 and next_gt != -1:
            next_gt = text.find(">", next_lt + 1)
        if next_gt < 0:  # no ">" left: the rest is text
            if not hiding:
                out.append(text[next_lt:])
            break
        following = text.find("<", next_lt + 1)
        if 0 <= following < next_gt:
            # "<" … "<" … ">": only the last "<" before the ">" may open a tag; the others are text
            last = text.rfind("<", next_lt, next_gt)
            if not hiding:
                out.append(text[next_lt:last])
            i = next_lt = last
            continue
        start = next_lt
        inner = text[start + 1 : next_gt]
        i = next_gt + 1
        next_lt = following
        if inner[:1] in ("!", "?"):
            continue  # a declaration or processing instruction: never shown
        m = _TAG_NAME.match(inner)
        if m is None:
            if not hiding:
                out.append("<" + inner + ">")
            continue
        closing, tag = m.group(1), m.group(2).lower()
        if not closing and ('"' in inner or "'" in inner):
            # a ">" inside a quoted attribute value does not end the tag (`title="a>b" hidden`)
            a = _ATTRS.match(text, start + 1 + m.end())  # matches always (it may match nothing)
            end = a.end() if a is not None else next_gt
            if end > next_gt and end < len(text) and text[end] == ">":
                inner = text[start + 1 : end]
                i = end + 1
                next_lt = text.find("<", i)
                next_gt = -2  # found again from next_lt
        if closing:
            if open_tags.get(tag):
                while stack:  # amortised: every element is popped once
                    t, h = stack.pop()
                    hiding -= h
                    open_tags[t] -= 1
                    if t == "a" and anchors is not None and opened:
                        where, href = opened.pop()
                        if href and _shown(htmllib.unescape(" ".join(out[where:]))):
                            anchors.append(href)
                    if t == tag:
                        break
            continue
        attrs = inner[m.end():]
        if tag in _VOID or attrs.rstrip().endswith("/"):
            continue
        h = _hides(tag, attrs)
        if tag == "a" and anchors is not None:
            ref = _HREF.search(attrs) if not (hiding or h) else None
            # an <a> inside a hidden one is popped with it: an entry keeps the stack in step
            opened.append((len(out), htmllib.unescape(next(g for g in ref.groups() if g is not None))
                           if ref is not None else ""))
        stack.append((tag, h))
        hiding += h
        open_tags[tag] = open_tags.get(tag, 0) + 1
    if anchors is not None:  # <a> left open: its text runs to the end
        for where, href in reversed(opened):
            if href and _shown(htmllib.unescape(" ".join(out[where:]))):
                anchors.append(href)
    return _shown(htmllib.unescape(" ".join(out)))


#: longer text is not rendered (markdown-it-py is linear but slow: about 25 µs per ``[``, seconds on
#: 100,000 of them; its block parser about 10 µs per block): it is judged by
#: :func:`_certainly_shown`, which keeps only characters that rendering would surely show
RENDER_LIMIT = 16_000
#: what may open raw HTML (a tag, a comment, a declaration, an autolink): past it nothing is certain
_TAGGISH = re.compile(r"<[A-Za-z/!?]")
_LINES = re.compile(r"\r\n?|\n")
#: a line that may be a table's delimiter row (markdown-it-py's allow ``|``, ``-``, ``:``, spaces)
#: or a setext underline: the rows after it, to the next blank line, may be cut by the renderer
_DELIM_ROW = re.compile(r"[ \t>]*[|:-][|:\- \t]*")
#: a line's leading container markers and indentation (blockquotes, list markers)
_PREFIX = re.compile(r"[ \t>*+\-0-9.)]*")
#: containers nested this deep (in columns of prefix) may pass markdown-it's ``maxNesting`` (50),
#: past which the renderer drops the rest of the container
_DEEP = 32
_ENTITY = re.compile(r"&[#A-Za-z0-9]*;?")
_ORDINAL = re.compile(r"[0-9]+[.)]")
#: markup characters: never kept (emphasis, code spans, escapes, headings, quotes, tables, images)
_MARKUP = str.maketrans("", "", "\\`*_~#><|=-+:![]&")


_PREFIX_START = frozenset(" \t>*+-0123456789")


def _deep(line: str) -> bool:
    """``line`` opens with container markers and indentation at least :data:`_DEEP` columns wide."""
    if len(line) < _DEEP // 4 or line[0] not in _PREFIX_START:
        return False
    m = _PREFIX.match(line)
    return m is not None and len(m.group()) + 3 * m.group().count("\t") >= _DEEP


def _unbracketed(chunk: str) -> str:
    """``chunk`` (lines of one paragraph, no raw HTML) without text in brackets and without all
    that follows a link's ``](``, ``][`` or ``]:`` (destinations, titles, reference labels and
    definitions, image alt text): what rendering may hide there."""
    out: list[str] = []
    i = 0
    n = len(chunk)
    while i < n:
        a = chunk.find("[", i)
        b = chunk.find("]", i)
        j = a if b < 0 or 0 <= a < b else b
        if j < 0:
            out.append(chunk[i:])
            break
        out.append(chunk[i:j])
        if j == b:
            if chunk[j + 1 : j + 2] in ("(", "[", ":"):
                break  # a stray "](": what follows may be a destination
            i = j + 1
            continue
        k = chunk.find("]", j + 1)
        if k < 0 or any(c in chunk[j + 1 : k] for c in "[`\\<") or chunk[k + 1 : k + 2] in ("(", "[", ":"):
            break  # a link, an image or a definition, or brackets too tangled to read: the rest goes
        i = k + 1  # "[text]": the text may be a reference link's (with a title that hides it): it goes
    return "".join(out)


def _plain_chars(text: str) -> str:
    """``text`` (already :func:`_unbracketed`) without entities, list numbers and markup characters."""
    return _ORDINAL.sub(" ", _ENTITY.sub(" ", text)).translate(_MARKUP)


def _strip_inline(chunk: str) -> str:
    """The characters of ``chunk`` (lines of one paragraph, no raw HTML) that surely show."""
    return _plain_chars(_unbracketed(chunk))


def _certainly_shown(markdown: str) -> str:
    """An under-approximation of what rendering ``markdown`` shows, linear in its length: raw HTML,
    a table's rows, containers nested deeper than markdown-it follows and every construct whose
    characters may not show are dropped — the first tag, comment or autolink hides all that
    follows (an element it opens may hide it). Never shows more characters than rendering would."""
    kept: list[str] = []
    para: list[str] = []
    skipping = False  # dropping lines up to the next blank line

    def flush() -> None:
        if para:
            kept.append(_unbracketed("\n".join(para)))
            para.clear()

    for line in _LINES.split(markdown):
        if not line.strip(" \t"):
            flush()
            skipping = False
            continue
        tag = _TAGGISH.search(line)
        if tag is not None:
            line = line[: tag.start()]
        if _deep(line):
            break
        if skipping:
            if tag is not None:
                break
            continue
        if "```" in line or "~~~" in line:
            pass  # a fence's line (its info string does not show); the lines inside are text
        elif _DELIM_ROW.fullmatch(line):
            flush()
            skipping = True
        else:
            para.append(line)
        if tag is not None:
            break
    flush()
    return _shown(_plain_chars(" ".join(kept)))


_ITEM = re.compile(r"(?:[-*+]|([0-9]{1,9})[.)])[ \t]+(\S.*)")
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_FENCE_CLOSE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*")
_INDENT = re.compile(r"[ \t]*")


def _certain_list_items(markdown: str) -> int:
    """Top-level list items that surely show text, read line by line without rendering (linear):
    an item at the start of a line whose first line keeps text (:func:`_strip_inline`), before any
    raw HTML, fence or deep nesting (where the renderer may hide or regroup lines). Never more
    than rendering counts."""
    lines = _LINES.split(markdown)
    count = 0
    pending = 0  # the last item seen: it counts once a line certainly outside it follows
    prev_blank = True
    prev_item = False
    skipping = False
    for n, line in enumerate(lines):
        if not line.strip(" \t"):
            prev_blank, prev_item, skipping = True, False, False
            continue
        if prev_blank and not line[:1].isspace():
            count, pending = count + pending, 0  # a line at the margin after a blank one ends the list
        if _TAGGISH.search(line) or _deep(line) or "```" in line or "~~~" in line:
            return count  # HTML or a fence in the item may hide its end (as rendered, it then shows nothing)
        if skipping:
            continue
        if _DELIM_ROW.fullmatch(line):
            skipping = True
            continue
        m = _ITEM.fullmatch(line)
        below = lines[n + 1] if n + 1 < len(lines) else ""
        item = m is not None and not _DELIM_ROW.fullmatch(below)  # "- a|b" over "-|-" is a table header
        # an ordered item other than 1 interrupts no paragraph: after text it continues it
        if item and m is not None and (m.group(1) is None or int(m.group(1)) == 1 or prev_blank or prev_item):
            count, pending = count + pending, int(bool(_shown(_strip_inline(m.group(2)))))
        else:
            item = False
        prev_blank, prev_item = False, item
    return count + pending


def _certain_fences(markdown: str) -> int:
    """Fenced code blocks that surely show something, read line by line without rendering (linear):
    fences opened at most three spaces in, before any raw HTML outside a fence, a fence marker
    elsewhere in a line, a table or deep nesting. Never more than rendering counts."""
    lines = _LINES.split(markdown)
    count = 0
    fence: tuple[str, int, int] | None = None  # (marker character, length, indent)
    body: list[str] = []
    for n, line in enumerate(lines):
        if fence is not None:
            close = _FENCE_CLOSE.fullmatch(line)
            if close is not None and close.group(1)[0] == fence[0] and len(close.group(1)) >= fence[1] \
                    and len(line) - len(line.lstrip(" ")) >= fence[2]:
                count += bool(_shown("\n".join(body)))
                fence = None
                continue
            if line.strip(" \t"):
                indent = _INDENT.match(line)
                lead = indent.group() if indent is not None else ""
                if "\t" in lead or len(lead) < fence[2]:
                    # a line left of the opening fence may end the list item holding it
                    return count
            body.append(line)
            continue
        if _TAGGISH.search(line) or _deep(line):
            break
        if "```" not in line and "~~~" not in line:
            continue
        m = _FENCE_OPEN.fullmatch(line)
        below = lines[n + 1] if n + 1 < len(lines) else ""
        if m is None or (m.group(1)[0] == "`" and "`" in m.group(2)) or _DELIM_ROW.fullmatch(below):
            break  # a marker inside a line, a container or a table header: pairing is not certain
        fence = (m.group(1)[0], len(m.group(1)), len(line) - len(line.lstrip(" ")))
        body = []
    if fence is not None:
        count += bool(_shown("\n".join(body)))  # an unclosed fence runs to the end of the text
    return count


def visible_text(markdown: str) -> str:
    """What a reader sees of ``markdown`` once rendered, white space collapsed: HTML comments,
    hidden elements (``hidden``, ``aria-hidden``, ``display: none``, ``<template>``...), link
    reference definitions, image sources and characters that show nothing (zero-width, BOM, soft
    hyphen, Braille blank) are not text. Empty when nothing would show. Text longer than
    :data:`RENDER_LIMIT` is not rendered: only what would surely show counts
    (:func:`_certainly_shown`, fail closed — never more than rendering shows); so when rendering
    runs out of :data:`RENDER_SECONDS`."""
    return _bounded(markdown, _rendered_text, _certainly_shown)


#: CPU seconds for rendering a whole page to find the links a reader sees (:func:`shown_links`)
PAGE_RENDER_SECONDS = 10.0


def shown_links(markdown: str) -> list[str]:
    """The targets of the links a reader of the rendered page sees and can follow: Markdown links
    and raw ``<a href>`` whose text shows (not inside a hidden element, not blank: ``[](x)`` is
    no link to a reader), in page order. A page whose rendering runs out of
    :data:`PAGE_RENDER_SECONDS` shows none (fail closed)."""
    found: list[str] = []
    try:
        with cpu_budget(PAGE_RENDER_SECONDS):
            md = _renderer()
            _html_visible(md.renderer.render(md.parse(markdown), md.options, {}), found)
    except OutOfTime:
        return []
    return found


def visible_body(markdown: str) -> str:
    """:func:`visible_text` of ``markdown`` without its headings: what a section says beyond the
    titles of its sub-sections (``## Rollback`` holding only ``### Steps`` says nothing)."""
    return _bounded(markdown, _rendered_body, _certainly_shown_body)


def _rendered_body(markdown: str) -> str:
    md = _renderer()
    kept: list[Token] = []
    inside = False
    for t in md.parse(markdown):
        if t.type == "heading_open":
            inside = True
        elif t.type == "heading_close":
            inside = False
        elif not inside:
            kept.append(t)
    return _html_visible(md.renderer.render(kept, md.options, {}))


#: block quote and list markers that may open a line (a heading can sit inside them)
_CONTAINERS = re.compile(r"^(?:[ \t]*(?:>|[-+*]|\d{1,9}[.)])(?=[ \t]|$)[ \t]?)*")
_ATX = re.compile(r"^[ \t]*#{1,6}(?:[ \t]|$)")
_SETEXT = re.compile(r"^[ \t]*(?:=+|-+)[ \t]*$")


def _certainly_shown_body(markdown: str) -> str:
    """:func:`_certainly_shown` of what comes before the first heading (an ATX line, or the lines
    above what may be a setext underline back to a blank line: the paragraph it makes a heading):
    it becomes a tag, which hides all that follows — dropping a heading's lines could remove what
    stops the reading (a tag, a deep container), so a long section counts only the text before
    its first sub-heading."""
    lines = re.split(r"\r\n?|\n", markdown)  # CommonMark's line endings
    bare = [_CONTAINERS.sub("", line, count=1) for line in lines]  # inside quotes and list items too
    def underline(k: int) -> bool:
        return k < len(lines) and (_SETEXT.match(lines[k]) is not None or _SETEXT.match(bare[k]) is not None)

    for i, b in enumerate(bare):
        if _ATX.match(b) or _ATX.match(lines[i]):
            lines[i] = "<hidden>"
            break
        if lines[i].strip(" \t") and underline(i + 1):  # blank is spaces and tabs only (not NBSP)
            j = i
            while j > 0 and lines[j - 1].strip(" \t"):
                j -= 1
            lines[j] = "<hidden>"
            break
    return _certainly_shown("\n".join(lines))


#: CPU seconds one rendering of a text under :data:`RENDER_LIMIT` may take (crafted tables take
#: many seconds well under it); past them the text is judged like a longer one
RENDER_SECONDS = 2.0
#: shorter text is rendered without arming the budget (its two system calls cost more than the
#: rendering): under 1,000 characters a table holds at most about 30,000 cells, half a second
BUDGET_FROM = 1_000
_T = TypeVar("_T")


def _bounded(markdown: str, render: Callable[[str], _T], certain: Callable[[str], _T]) -> _T:
    """``render(markdown)``, or ``certain(markdown)`` (what surely shows, never more) when the text
    is longer than :data:`RENDER_LIMIT` or rendering it runs out of :data:`RENDER_SECONDS`."""
    if len(markdown) > RENDER_LIMIT:
        return certain(markdown)
    if len(markdown) < BUDGET_FROM:
        return render(markdown)
    try:
        with cpu_budget(RENDER_SECONDS):
            return render(markdown)
    except OutOfTime:
        return certain(markdown)


def _rendered_text(markdown: str) -> str:
    md = _renderer()
    return _html_visible(md.renderer.render(md.parse(markdown), md.options, {}))


def visible_list_items(markdown: str) -> int:
    """Top-level list items of ``markdown`` that show some text (``- <!-- -->`` does not, nor an
    item inside a hidden element). Text longer than :data:`RENDER_LIMIT` is not rendered: only
    items that surely show count (:func:`_certain_list_items`); so when rendering runs out of
    :data:`RENDER_SECONDS`."""
    return _bounded(markdown, _rendered_list_items, _certain_list_items)


def _rendered_list_items(markdown: str) -> int:
    import secrets

    md = _renderer()
    tag = f"item{secrets.token_hex(8)}n"
    out: list[Token] = []
    depth = 0
    k = 0
    for t in md.parse(markdown):
        if t.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif t.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        if t.type == "list_item_close" and depth == 1:
            out.append(Token("html_block", "", 0, content=f" {tag}{k}e "))
            k += 1
        out.append(t)
        if t.type == "list_item_open" and depth == 1:
            out.append(Token("html_block", "", 0, content=f" {tag}{k}s "))
    if not k:
        return 0
    shown = _html_visible(md.renderer.render(out, md.options, {}))
    count = 0
    for n in range(k):
        m = re.search(f"{tag}{n}s (.*?) ?{tag}{n}e", shown)
        if m is not None and m.group(1).strip():
            count += 1
    return count


def visible_fences(markdown: str) -> int:
    """Fenced code blocks (```` ``` ```` / ``~~~``) of ``markdown`` that hold something to read
    and are shown (not inside a hidden element). Text longer than :data:`RENDER_LIMIT` is not
    rendered: only fences that surely show count (:func:`_certain_fences`); so when rendering runs
    out of :data:`RENDER_SECONDS`."""
    return _bounded(markdown, _rendered_fences, _certain_fences)


def _rendered_fences(markdown: str) -> int:
    import secrets

    md = _renderer()
    tokens = md.parse(markdown)
    tag = f"fence{secrets.token_hex(8)}n"
    marked = 0
    for t in tokens:
        if t.type == "fence" and _shown(t.content):
            t.content = f"{tag}{marked} "
            marked += 1
    if not marked:
        return 0
    shown = _html_visible(md.renderer.render(tokens, md.options, {}))
    return sum(1 for n in range(marked) if f"{tag}{n} " in shown + " ")
