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

from gate.sources.yamlfile import Key, YamlDoc

#: JSON's tokens that matter for locating: strings (keys and values) and punctuation
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]')
#: a ``\u`` escape of a surrogate (PyYAML does not pair them)
_SURROGATE = re.compile(r"\\u[dD][89abAB]")
#: every string matched whole, left to right (a key is one followed by a colon), and, outside
#: strings, a number with an exponent (PyYAML reads ``1e5`` as a string)
_SCAN = re.compile(r'"(?:[^"\\]|\\.)*"(\s*:)?|[0-9]([eE])')


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
        of the key, position of the value)."""
        if pos in self.kids:
            return self.kids[pos]
        text = self.text
        is_obj = text[pos] == "{"
        out: dict[Key, tuple[int, int]] = {}
        depth = 0
        pending: str | None = None
        key_at = 0
        index = 0
        if not is_obj:
            first = self._value_at(pos + 1)
            if first < len(text) and text[first] != "]":
                out[0] = (first, first)
        for m in _TOKEN.finditer(text, pos + 1):
            c = text[m.start()]
            if depth:
                if c in "{[":
                    depth += 1
                elif c in "}]":
                    depth -= 1
                continue
            if c in "}]":
                break
            if c in "{[":
                depth += 1
            elif c == ",":
                if is_obj:
                    pending = None
                else:
                    index += 1
                    at = self._value_at(m.end())
                    out[index] = (at, at)
            elif is_obj and c == '"' and pending is None:
                pending, key_at = json.loads(m.group()), m.start()
            elif is_obj and c == ":" and pending is not None:
                out.setdefault(pending, (key_at, self._value_at(m.end())))
        self.kids[pos] = out
        return out

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
