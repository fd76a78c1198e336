"""TypeScript parsed with tree-sitter (TypeScript and TSX grammars), plus small node helpers.

Parsing never executes anything. A file with syntax errors still yields a tree; its first
``ERROR``/``MISSING`` node is reported by :attr:`TsFile.error`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tree_sitter_typescript as _tst
from tree_sitter import Language, Node, Parser, Tree

_PARSERS: dict[bool, Parser] = {}


def _parser(tsx: bool) -> Parser:
    p = _PARSERS.get(tsx)
    if p is None:
        lang = Language(_tst.language_tsx() if tsx else _tst.language_typescript())
        p = _PARSERS[tsx] = Parser(lang)
    return p


@dataclass(frozen=True)
class SyntaxProblem:
    line: int  # 1-based
    column: int  # 1-based
    message: str


@dataclass
class TsFile:
    path: str
    source: bytes
    tree: Tree

    @property
    def root(self) -> Node:
        return self.tree.root_node

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    @property
    def error(self) -> SyntaxProblem | None:
        if not self.root.has_error:
            return None
        stack = [self.root]
        while stack:
            n = stack.pop()
            if n.is_missing:
                return SyntaxProblem(n.start_point[0] + 1, n.start_point[1] + 1, f"syntax error: missing {n.type}")
            if n.type == "ERROR":
                return SyntaxProblem(n.start_point[0] + 1, n.start_point[1] + 1, "syntax error")
            if n.has_error:
                stack.extend(reversed(n.children))
        return SyntaxProblem(1, 1, "syntax error")


def parse(path: str, source: bytes) -> TsFile:
    return TsFile(path, source, _parser(path.endswith(".tsx")).parse(source))


def line_of(node: Node) -> int:
    """1-based first line of a node."""
    return node.start_point[0] + 1


def end_line_of(node: Node) -> int:
    return node.end_point[0] + 1


class Unknown:
    """A value that cannot be known without running code; ``why`` says what it is."""

    def __init__(self, why: str) -> None:
        self.why = why

    def __repr__(self) -> str:
        return f"Unknown({self.why!r})"


def string_value(f: TsFile, node: Node) -> str | None:
    """The value of a string literal or a template string without substitutions."""
    if node.type == "string":
        return "".join(f.text(c) if c.type == "string_fragment" else _escape(f.text(c)) for c in node.named_children)
    if node.type == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return None
        return f.text(node)[1:-1]
    return None


def _escape(seq: str) -> str:
    simple = {"\\n": "\n", "\\t": "\t", "\\'": "'", '\\"': '"', "\\\\": "\\"}
    return simple.get(seq, seq[1:] if seq.startswith("\\") else seq)


def literal(f: TsFile, node: Node) -> Any:
    """Evaluate a literal expression: strings, numbers, booleans, null, arrays, objects.

    Anything else (identifiers, calls, substitutions) becomes :class:`Unknown`.
    """
    t = node.type
    if t in ("string", "template_string"):
        s = string_value(f, node)
        return s if s is not None else Unknown(f.text(node))
    if t == "number":
        txt = f.text(node).replace("_", "")
        try:
            return int(txt, 0)
        except ValueError:
            try:
                return float(txt)
            except ValueError:
                return Unknown(txt)
    if t == "true":
        return True
    if t == "false":
        return False
    if t == "null":
        return None
    if t == "parenthesized_expression" and node.named_children:
        return literal(f, node.named_children[0])
    if t in ("as_expression", "satisfies_expression") and node.named_children:
        return literal(f, node.named_children[0])
    if t == "array":
        return [literal(f, c) for c in node.named_children if c.type != "comment"]
    if t == "object":
        out: dict[str, Any] = {}
        for c in node.named_children:
            if c.type == "pair":
                key = c.child_by_field_name("key")
                val = c.child_by_field_name("value")
                if key is None or val is None:
                    continue
                k = property_key(f, key)
                if k is not None:
                    out[k] = literal(f, val)
            elif c.type == "shorthand_property_identifier":
                out[f.text(c)] = Unknown(f.text(c))
        return out
    return Unknown(f.text(node))


def property_key(f: TsFile, key: Node) -> str | None:
    if key.type in ("property_identifier", "identifier", "number"):
        return f.text(key)
    if key.type == "string":
        return string_value(f, key)
    return None  # computed keys are resolved by callers that know the bindings
