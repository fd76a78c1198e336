"""A JSON document read as JSON (``orjson``, in C) when that gives exactly what the YAML
loader would, with a locator of key paths that reads the JSON text itself.

OpenAPI descriptions are often JSON, and large (GitHub's is 13 MB). Every JSON text is YAML, and
the workspace's YAML loader is the reference (openapi-spec-validator reads ``.json`` files with
PyYAML too), but a YAML parser takes seconds on such a file and locating a key in flow style
means composing PyYAML's node tree of the whole file. :func:`load` answers a :class:`JsonDoc`
only when JSON and YAML cannot differ on the text; otherwise None, and the caller uses the YAML
loader (which also reports what is wrong, at its line):

- a key written twice: the gate refuses duplicate keys (YAML reports them; JSON parsers keep
  the last one) — counted from the text and compared with the keys loaded;
- a number with an exponent (PyYAML reads ``1e5`` and ``1.5e5`` as strings), a ``\\u`` escape of
  a surrogate (PyYAML does not pair them), anything ``orjson`` refuses (YAML may accept it).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Any

from gate.sources.yaml.parse import Key, YamlDoc

#: JSON's tokens that matter for locating: strings (keys and values) and punctuation
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]')
#: a ``\u`` escape of a surrogate (PyYAML does not pair them)
_SURROGATE = re.compile(r"\\u[dD][89abAB]")
#: every string matched whole, left to right (a key is one followed by a colon), and, outside
#: strings, a number with an exponent (PyYAML reads ``1e5`` as a string)
_SCAN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"(\s*:)?|[0-9]([eE])')


def load(path: str, text: str) -> JsonDoc | None:
    """``text`` as a :class:`JsonDoc` when it is a JSON object that the YAML loader would read
    the same way (see the module); None otherwise."""
    stripped = text.lstrip(" \t\r\n")
    if not stripped.startswith("{") or _SURROGATE.search(text):
        return None
    try:
        import orjson

        data = orjson.loads(text)
    except (ImportError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    found = _SCAN.findall(text)
    if any(exp for _, exp in found):
        return None
    if _keys_loaded(data) != sum(1 for colon, _ in found if colon):
        return None  # a duplicate key: the YAML loader reports it at its line
    return JsonDoc(path, text, data)


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


def _keys_loaded(data: Any) -> int:
    n = 0
    stack = [data]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            n += len(cur)
            stack.extend(v for v in cur.values() if isinstance(v, (dict, list)))
        elif isinstance(cur, list):
            stack.extend(v for v in cur if isinstance(v, (dict, list)))
    return n


@dataclass
class JsonDoc(YamlDoc):
    """A JSON document; :meth:`line` reads the JSON text (never composes a YAML node tree)."""

    _lines: _JsonLines | None = field(default=None, repr=False)

    def line(self, keys: Any = ()) -> int:
        if self._lines is None:
            self._lines = _JsonLines(self.text)
        return self._lines.line(keys)


#: levels of containers whose members one pass records (the root, ``paths``, a path item)
_LEVELS = 3


class _JsonLines:
    """Lines of key paths in a JSON text: each object or array read once, when first asked."""

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
