"""YAML loaded safely (PyYAML's C loader), as JSON-like data, with lines found on demand.

Data comes from the fast C loader; the node tree (with line marks) is composed only when a
finding needs a line, so checks name locations symbolically (``("on_call", "secondary")``)
and never count lines themselves.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C loader; the pure-Python one is a fallback for odd platforms
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: expanded size (nodes) above which a document is refused: aliases can multiply it
MAX_NODES = 2_000_000
#: nesting above which a document is refused before parsing (libyaml recurses per level)
MAX_DEPTH = 500

Key = str | int


class YamlError(Exception):
    """A document that cannot be used; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _key(k: Any) -> str:
    if isinstance(k, bool):
        return "true" if k else "false"
    if k is None:
        return "null"
    if isinstance(k, (_dt.date, _dt.datetime)):
        return k.isoformat()
    if isinstance(k, (str, int, float)):
        return str(k)
    raise YamlError(f"mapping key of type {type(k).__name__} is not supported")


def normalize(data: Any, max_nodes: int = MAX_NODES) -> Any:
    """JSON-like copy: string keys, dates as ISO strings; bounded in size (alias bombs)."""
    budget = [max_nodes]

    def walk(v: Any, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise YamlError(f"document expands to more than {max_nodes} nodes (aliases?); refused")
        if depth > MAX_DEPTH:
            raise YamlError(f"document nests deeper than {MAX_DEPTH} levels; refused")
        if isinstance(v, dict):
            return {_key(k): walk(x, depth + 1) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x, depth + 1) for x in v]
        if isinstance(v, (_dt.datetime, _dt.date)):
            return v.isoformat()
        if isinstance(v, (bytes, set)):
            raise YamlError(f"value of type {type(v).__name__} is not supported")
        return v

    return walk(data, 0)


_QUOTED = re.compile(r"'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\"|#[^\n]*")
_FLOW = re.compile(r"[\[\]{}]|\n(?=\S)")
_DASHES = re.compile(r"^[ \t]*(?:[-?][ \t]+){" + str(MAX_DEPTH) + ",}", re.M)


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Refuse documents nesting deeper than ``limit`` before the C parser sees them: libyaml
    recurses once per level and a few hundred thousand ``[`` crash the process."""
    if text.count("[") + text.count("{") > limit:
        depth = 0
        for m in _FLOW.finditer(_QUOTED.sub("", text)):
            ch = m.group()
            if ch in "[{":
                depth += 1
                if depth > limit:
                    raise YamlError(f"document nests deeper than {limit} levels; refused")
            elif ch in "]}":
                depth = max(0, depth - 1)
            else:  # a line starting at column 0: a new top-level node
                depth = 0
    if _DASHES.search(text):
        raise YamlError(f"document nests deeper than {limit} levels; refused")


def load(text: str) -> Any:
    """Load one document safely; :class:`YamlError` with the line on any problem."""
    check_depth(text)
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlError(f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlError("document nests too deeply; refused") from None
    return normalize(data)


@dataclass
class YamlDoc:
    """A YAML file's data, with :meth:`line` to locate a key path."""

    path: str
    text: str
    data: Any
    _root: yaml.Node | None = field(default=None, repr=False)
    _composed: bool = field(default=False, repr=False)

    def _node(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = yaml.compose(self.text, Loader=_Loader)
            except (yaml.YAMLError, RecursionError):
                self._root = None
        return self._root

    def line(self, keys: Sequence[Key] = ()) -> int:
        """1-based line of the deepest node on ``keys`` that exists (a key's own line).

        For a missing key this is its parent key's line; for the root, the first content line.
        """
        node = self._node()
        if node is None:
            return 1
        line = node.start_mark.line + 1
        for k in keys:
            if isinstance(node, yaml.MappingNode):
                for knode, vnode in node.value:
                    if isinstance(knode, yaml.ScalarNode) and knode.value == str(k):
                        line = knode.start_mark.line + 1
                        node = vnode
                        break
                else:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(k, int):
                if 0 <= k < len(node.value):
                    node = node.value[k]
                    line = node.start_mark.line + 1
                else:
                    return line
            else:
                return line
        return line

    def has(self, keys: Sequence[Key]) -> bool:
        return _walk(self.data, keys)[0]

    def get(self, keys: Sequence[Key], default: Any = None) -> Any:
        found, value = _walk(self.data, keys)
        return value if found else default


def _walk(cur: Any, keys: Sequence[Key]) -> tuple[bool, Any]:
    for k in keys:
        if isinstance(k, str):
            if not isinstance(cur, dict) or k not in cur:
                return False, None
            cur = cur[k]
        else:
            if not isinstance(cur, list) or not 0 <= k < len(cur):
                return False, None
            cur = cur[k]
    return True, cur
