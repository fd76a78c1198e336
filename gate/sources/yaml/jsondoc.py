"""A JSON document read as JSON (the ``json`` module's C scanner) when that gives exactly what
the YAML loader would, with a locator of key paths that reads the JSON text itself.

OpenAPI descriptions are often JSON, and large (GitHub's is 13 MB). Every JSON text is YAML, and
the workspace's YAML loader is the reference (openapi-spec-validator reads ``.json`` files with
PyYAML too), but a YAML parser takes seconds on such a file and locating a key in flow style
means composing PyYAML's node tree of the whole file. :func:`load` reads the text as JSON and
keeps PyYAML's reading of each scalar; it answers None, and the caller uses the YAML loader
(which also reports what is wrong, at its line), wherever the two could differ:

- a number is read as PyYAML reads the same plain scalar (its implicit resolvers: ``1e5`` and
  ``1.5e5`` are strings, ``1.5e+5`` a float; ``NaN`` a string); an integer is an integer for both;
- a key written twice (the gate refuses duplicate keys; JSON parsers keep the last one), a key
  libyaml cannot take as a simple key (its colon on another line, or 1,024 characters from its
  start: declined from 150 characters of key or 64 spaces before the colon), a ``\\u`` escape of
  a surrogate (PyYAML does not pair them), a character libyaml refuses (controls) or reads as a
  line break (NEL, LS, PS, a CR alone), a tab before or after the root, nesting the YAML loader refuses,
  more nodes than it takes, anything ``json`` refuses (YAML may accept it).

``tests/checks/test_artifacts_openapi_json.py`` compares both readings on such texts.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from gate.sources.yaml.parse import MAX_DEPTH, MAX_NODES, Key, YamlDoc, _Decline, _plain

#: JSON's tokens that matter for locating: strings (keys and values) and punctuation
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]')
#: characters libyaml refuses (controls, besides those JSON refuses in strings) or reads otherwise
#: than JSON: NEL, LS and PS are line breaks (folded inside a quoted scalar)
_ODD_CHARS = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_ASCII = bytes(range(128))
#: a CR not followed by LF (a line break for YAML, not for the lines counted here)
_LONE_CR = re.compile(r"\r(?!\n)")
#: a ``\u`` escape of a surrogate (PyYAML does not pair them)
_SURROGATE = re.compile(r"\\u[dD][89abAB]")
#: a key libyaml cannot take as a simple key: its colon on another line, or far from its start
#: (a colon opening a line can only follow a key on a line before: no string holds a line break)
_NEXT_LINE_COLON = re.compile(r"\n[ \t\r]*:")
_FAR_COLON = re.compile(r'"[ \t]{64,}:')
#: keys longer than this are declined (libyaml takes a simple key of at most 1,024 characters,
#: escapes included: six per character at most)
_LONG_KEY = 150


class _Declined(Exception):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) != len(pairs) or (d and max(map(len, d)) > _LONG_KEY):
        raise _Declined  # a repeated key (the YAML loader reports it at its line), or a long one
    return d


def load(path: str, text: str) -> JsonDoc | None:
    """``text`` as a :class:`JsonDoc` when it is a JSON object that the YAML loader would read
    the same way (see the module); None otherwise."""
    start = len(text) - len(text.lstrip(" \t\r\n"))
    end = len(text.rstrip(" \t\r\n"))
    if start == len(text) or text[start] != "{" or "\t" in text[:start] or "\t" in text[end:]:
        return None  # a tab around the root: libyaml refuses one at the start of a line there
    if _odd(text):
        return None
    # a number with a fraction or an exponent (or NaN, Infinity) as PyYAML reads the same plain
    # scalar (its implicit resolvers, then SafeConstructor): what the fast YAML path reads too
    number = functools.partial(_plain, memo={})
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_float=number, parse_constant=number)
    except (ValueError, _Declined, _Decline, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    if len(text) > 2 * MAX_DEPTH:  # deep enough, or large enough, to be refused
        nodes, depth = _size(data)
        if depth >= MAX_DEPTH or nodes >= MAX_NODES:
            return None  # the YAML loader refuses it, and says why
    return JsonDoc(path, text, data)


def _odd(text: str) -> bool:
    """``text`` holds what YAML reads otherwise than JSON, or refuses (see the module)."""
    if "\x7f" in text:
        return True
    if not text.isascii():  # the characters past ASCII alone (a pass in C), then the expression
        wide = text.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode("utf-8", "surrogatepass")
        if _ODD_CHARS.search(wide):
            return True
    if "\r" in text and _LONE_CR.search(text):
        return True
    if _SURROGATE.search(text) or ("\n" in text and _NEXT_LINE_COLON.search(text)):
        return True
    if "\t" in text:
        return bool(_FAR_COLON.search(text))
    return " " * 64 + ":" in text  # (spaces only: quicker than the expression)


def _size(data: Any) -> tuple[int, int]:
    """(nodes, depth) of ``data`` as the YAML loader counts them: one node per container entry
    and the root; levels of containers."""
    nodes, depth = 1, 0
    level = [data]
    while level:
        depth += 1
        below: list[Any] = []
        for cur in level:
            values = cur.values() if isinstance(cur, dict) else cur
            nodes += len(values)
            below.extend([v for v in values if isinstance(v, (dict, list))])
        level = below
    return nodes, depth


def locating(doc: YamlDoc) -> YamlDoc:
    """``doc`` (read by the YAML loader) located from its text as JSON when the text is JSON
    (PyYAML's node tree of a large flow-style document takes seconds to compose)."""
    if isinstance(doc, JsonDoc) or not doc.text.lstrip(" \t\r\n").startswith("{"):
        return doc
    try:
        import orjson

        orjson.loads(doc.text)
    except (ImportError, ValueError):
        return doc
    return JsonDoc(doc.path, doc.text, doc.data)


@dataclass
class JsonDoc(YamlDoc):
    """A JSON document; :meth:`line` reads the JSON text (never composes a YAML node tree)."""

    _lines: _Lines | None = field(default=None, repr=False)

    def line(self, keys: Any = ()) -> int:
        if self._lines is None:
            self._lines = _Lines(self.text, self.data)
        return self._lines.line(keys)


#: a JSON string (its quotes included)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
#: the first line of a container that starts with a key (an object) or an element (an array):
#: its indentation
_FIRST_KEY = re.compile(r'\n([ \t]*)""[ \t]*:')
_FIRST_ITEM = re.compile(r"\n([ \t]*)(?=[^ \t\r\n\]}])")
#: a member: (line of its key or element, position of its value, end of the member's text,
#: line of its value) in the text without strings
_Member = tuple[int, int, int, int]


class _Lines:
    """Lines of key paths in a JSON text, read from its layout where that is exact.

    Every line break of JSON text lies outside strings, so each line starts at a structural
    position. With every string collapsed to ``""`` (line breaks kept, so lines are the same),
    every bracket left is structural: the members of a container written one per line (as JSON
    writers indent) are the lines at the first member's indentation, inside the container, at
    its depth (the brackets between two of them balance); when there are as many as the data has
    members, the i-th is the i-th key. A text on one line answers the root's line for every
    path; a container written otherwise (several members on a line) is read token by token
    (:class:`_Tokens`, exact for any layout)."""

    def __init__(self, text: str, data: Any) -> None:
        self.text = text
        self.data = data
        self.root = len(text) - len(text.lstrip(" \t\r\n"))
        self.root_line = text.count("\n", 0, self.root) + 1
        self.flat = text.find("\n", self.root) < 0
        self._cx: str | None = None
        self._members: dict[int, dict[Key, _Member] | None] = {}
        self._patterns: dict[tuple[bool, str], re.Pattern[str]] = {}
        self._tokens: _Tokens | None = None

    def line(self, keys: Any) -> int:
        if self.flat:
            return self.root_line  # one line: every node is on it
        if self._cx is None:
            self._cx = _STRING.sub('""', self.text)
        cx = self._cx
        pos, end, line, cur = self.root, len(cx), self.root_line, self.data
        at_line = line  # the line where the container at ``pos`` opens
        for k in keys:
            if pos >= len(cx) or cx[pos] not in "{[" or not isinstance(cur, (dict, list)):
                return line
            obj = cx[pos] == "{"
            if obj != isinstance(k, str) and not (obj and isinstance(k, int)):
                return line
            members = self._children(pos, end, cur, at_line)
            if members is None:  # not one member per line: token by token
                if self._tokens is None:
                    self._tokens = _Tokens(self.text)
                return self._tokens.line(keys)
            key: Key = str(k) if obj else k
            entry = members.get(key)
            if entry is None:
                return line
            line, pos, end, at_line = entry
            cur = cur[key]  # type: ignore[index]
        return line

    def _children(self, pos: int, end: int, cur: Any, line: int) -> dict[Key, _Member] | None:
        """The members of the container opening at ``pos``, on ``line`` (its text ends before
        ``end``) in the text without strings, or None when they are not written one per line."""
        if pos in self._members:
            return self._members[pos]
        found = self._read(pos, end, cur, line)
        self._members[pos] = found
        return found

    def _read(self, pos: int, end: int, cur: Any, line: int) -> dict[Key, _Member] | None:
        cx = self._cx
        assert cx is not None
        names: list[Key] = list(cur) if isinstance(cur, dict) else list(range(len(cur)))
        if not names:
            return {}
        obj = cx[pos] == "{"
        first = (_FIRST_KEY if obj else _FIRST_ITEM).search(cx, pos + 1, end)
        if first is None:
            return None
        indent = first.group(1)
        rx = self._patterns.get((obj, indent))
        if rx is None:
            tail = r'""[ \t]*:[ \t\r\n]*' if obj else r"(?=[^ \t\r\n\]}])"  # up to the value
            rx = self._patterns[(obj, indent)] = re.compile("\n" + re.escape(indent) + tail)
        starts: list[tuple[int, int]] = []  # (line start, value position)
        depth = 0
        at = pos + 1
        for m in rx.finditer(cx, first.start(), end):
            s = m.start()
            depth += (cx.count("{", at, s) + cx.count("[", at, s)) - (cx.count("}", at, s) + cx.count("]", at, s))
            at = s
            if depth < 0:
                break  # past the container
            if depth == 0:
                starts.append((s + 1, m.end()))
        if len(starts) != len(names):
            return None
        out: dict[Key, _Member] = {}
        prev = pos
        for i, (name, (s, value)) in enumerate(zip(names, starts, strict=True)):
            line += cx.count("\n", prev, s)
            prev = s
            stop = starts[i + 1][0] if i + 1 < len(starts) else end
            out[name] = (line, value, stop, line + cx.count("\n", s, value))
        return out


#: levels of containers whose members one pass records (the root, ``paths``, a path item)
_LEVELS = 3


class _Tokens:
    """Lines of key paths in a JSON text read token by token (exact for any layout): each object
    or array read once, when first asked."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.kids: dict[int, dict[Key, tuple[int, int]]] = {}
        self.root = len(text) - len(text.lstrip(" \t\r\n"))

    def lineno(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def _value_at(self, pos: int) -> int:
        n = len(self.text)
        while pos < n and self.text[pos] in " \t\r\n":
            pos += 1
        return pos

    def children(self, pos: int) -> dict[Key, tuple[int, int]]:
        """The members of the object (or array) opening at ``pos``: key (or index) -> (position
        of the key, position of the value). One pass reads the members of the containers down to
        :data:`_LEVELS` levels below it as well (an operation is three levels below the root)."""
        if pos not in self.kids:
            # the root: three levels; below it (the way to a finding), everything down to eight
            self._scan(pos, _LEVELS if pos == self.root else 8)
        return self.kids[pos]

    def _scan(self, pos: int, levels: int) -> None:
        text = self.text
        # one frame per open container: [is an object, its members (None below the levels kept),
        # the pending key, where that key is, the index of the current element, where it opens]
        frames: list[list[Any]] = [[text[pos] == "{", {}, None, 0, 0, pos]]
        if text[pos] == "[":
            self._element(frames[0], pos + 1)
        for m in _TOKEN.finditer(text, pos + 1):
            c = text[m.start()]
            top = frames[-1]
            if c in "{[":
                kept = top[1] is not None and len(frames) < levels
                frame: list[Any] = [c == "{", {} if kept else None, None, 0, 0, m.start()]
                frames.append(frame)
                if c == "[" and kept:
                    self._element(frame, m.end())
            elif c in "}]":
                done = frames.pop()
                if done[1] is not None:
                    self.kids.setdefault(done[5], done[1])
                if not frames:
                    break
            elif c == ",":
                if top[0]:
                    top[2] = None
                else:
                    top[4] += 1
                    if top[1] is not None:
                        self._element(top, m.end())
            elif top[0] and c == '"' and top[2] is None:
                top[2], top[3] = m.group(), m.start()
            elif top[0] and c == ":" and top[2] is not None and top[1] is not None:
                top[1].setdefault(json.loads(top[2]), (top[3], self._value_at(m.end())))
        for left in frames:  # an unclosed container (the text was loaded: only defensively)
            if left[1] is not None:
                self.kids.setdefault(left[5], left[1])

    def _element(self, frame: list[Any], after: int) -> None:
        at = self._value_at(after)
        if at < len(self.text) and self.text[at] != "]":
            frame[1][frame[4]] = (at, at)

    def line(self, keys: Any) -> int:
        pos = self.root
        line = self.lineno(pos)
        for k in keys:
            if pos >= len(self.text) or self.text[pos] not in "{[":
                return line
            obj = self.text[pos] == "{"
            if obj != isinstance(k, str) and not (obj and isinstance(k, int)):
                return line
            entry = self.children(pos).get(str(k) if obj else k)
            if entry is None:
                return line
            key_at, pos = entry
            line = self.lineno(key_at)
        return line
