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


def _leaf(v: Any) -> Any:
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.isoformat()
    if isinstance(v, (bytes, set)):
        raise YamlError(f"value of type {type(v).__name__} is not supported")
    return v


def normalize(data: Any, max_nodes: int = MAX_NODES) -> Any:
    """JSON-like copy: string keys, dates as ISO strings; bounded in size (alias bombs) and depth,
    and refusing a container that contains itself (a recursive alias). Iterative: the input
    cannot drive Python's stack."""
    if not isinstance(data, (dict, list)):
        return _leaf(data)
    count = 1
    root: Any = {} if isinstance(data, dict) else []
    #: ids of the containers on the current path: meeting one again is a cycle
    path = {id(data)}
    stack: list[tuple[Any, Any, Any]] = [
        (iter(data.items()) if isinstance(data, dict) else iter(data), root, data)
    ]
    while stack:
        it, out, src = stack[-1]
        is_map = isinstance(out, dict)
        for entry in it:
            if is_map:
                k, v = entry
            else:
                k, v = None, entry
            count += 1
            if count > max_nodes:
                raise YamlError(f"document expands to more than {max_nodes} nodes (aliases?); refused")
            if isinstance(v, (dict, list)):
                if id(v) in path:
                    raise YamlError("a recursive alias (a node that contains itself); refused")
                if len(stack) > MAX_DEPTH:
                    raise YamlError(f"document nests deeper than {MAX_DEPTH} levels; refused")
                child: Any = {} if isinstance(v, dict) else []
                if is_map:
                    out[_key(k)] = child
                else:
                    out.append(child)
                path.add(id(v))
                stack.append((iter(v.items()) if isinstance(v, dict) else iter(v), child, v))
                break
            if is_map:
                out[_key(k)] = _leaf(v)
            else:
                out.append(_leaf(v))
        else:
            stack.pop()
            path.discard(id(src))
    return root


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
    """Load one document safely; :class:`YamlError` with the line on any problem.

    Large documents (``FAST_MIN_CHARS`` and more) go through :func:`fast_load` when rapidyaml is
    installed; it returns exactly what this function returns with CSafeLoader, or declines and the
    C loader (the reference) reads the document.
    """
    check_depth(text)
    if len(text) >= FAST_MIN_CHARS:
        data = fast_load(text)
        if data is not DECLINED:
            return data
    return reference_load(text)


_MERGE_TAG = "tag:yaml.org,2002:merge"


class _StrictLoader(_Loader):
    """The safe C loader that refuses a mapping with the same key twice.

    PyYAML silently keeps the last value of a repeated key, so ``owner: a`` … ``owner: b`` would
    judge a different manifest than the one a reviewer reads. The check runs on the node tree
    the C parser composes anyway (one pass over each mapping's key nodes, before construction);
    merge keys (``<<``) may still be overridden by explicit keys, as YAML defines.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], int] = {}
            for knode, _ in node.value:
                if not isinstance(knode, yaml.ScalarNode) or knode.tag == _MERGE_TAG:
                    continue
                k = (knode.tag, knode.value)
                line = knode.start_mark.line + 1
                if k in seen:
                    raise YamlError(
                        f"duplicate key {_short(knode.value)!r} (first at line {seen[k]}): "
                        "YAML keeps only the last one; remove one of them",
                        line,
                    )
                seen[k] = line
        return super().construct_mapping(node, deep=deep)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reference_load(text: str) -> Any:
    """PyYAML's C loader, normalised: the reference every faster path is compared with."""
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlError(f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise alias_fault(text) or YamlError("document nests too deeply; refused") from None
    try:
        return normalize(data)
    except YamlError as exc:  # an alias is most often the cause: name it, at its line
        raise alias_fault(text) or exc from None


def alias_fault(text: str, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH) -> YamlError | None:
    """The first alias of ``text`` that makes its document recursive (an alias inside the node
    it names), or expand past ``max_nodes`` nodes or ``max_depth`` levels, as a
    :class:`YamlError` at the alias's line; None when no alias does.

    One pass over the parser's events (no node tree, no recursion): each anchored node's
    expanded size and height are known when it closes, and an alias adds them where it stands.
    """
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> (expanded nodes, height)
    opened: dict[str, int] = {}  # anchors of the collections being read -> their line
    #: the open collections: [anchor, expanded nodes so far, height so far]
    stack: list[list[Any]] = []
    total = 0

    def fault(anchor: str, line: int, why: str, fix: str = "use fewer aliases") -> YamlError:
        return YamlError(f"alias *{_short(anchor, 40)}: {why}; refused ({fix})", line)

    try:
        for ev in yaml.parse(text, Loader=_Loader):
            if isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                total += 1
                if ev.anchor is not None:
                    opened[ev.anchor] = _line(ev)
                stack.append([ev.anchor, 1, 0])
                continue
            if isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                anchor, size, height = stack.pop()
                if anchor is not None:
                    opened.pop(anchor, None)
                    sizes[anchor] = (size, height + 1)
                added = (size, height + 1)
            elif isinstance(ev, yaml.ScalarEvent):
                total += 1
                if ev.anchor is not None:
                    sizes[ev.anchor] = (1, 1)
                added = (1, 1)
            elif isinstance(ev, yaml.AliasEvent):
                name, line = ev.anchor or "", _line(ev)
                if name in opened:
                    return fault(name, line, f"it lies inside the node it names (&{_short(name, 40)} at "
                                 f"line {opened[name]}): a recursive alias, which expands without end",
                                 "remove the alias")
                added = sizes.get(name, (1, 1))
                total += added[0]
                if total > max_nodes:
                    return fault(name, line, f"the document expands to more than {max_nodes} nodes here")
                if len(stack) + added[1] > max_depth:
                    return fault(name, line, f"the document nests deeper than {max_depth} levels here")
            else:
                continue
            if stack:
                top = stack[-1]
                top[1] += added[0]
                top[2] = max(top[2], added[1])
    except yaml.YAMLError:
        return None
    return None


def _line(ev: yaml.Event) -> int:
    return ev.start_mark.line + 1 if ev.start_mark is not None else 1


# -- the fast path for larger documents ---------------------------------------------------------
#: documents at least this long (characters) are offered to :func:`fast_load`: a service's OpenAPI
#: description is (twice as fast as the C loader at 10 KB, 20 times at 10 MB); a service.yaml of a
#: few hundred bytes is not (there the C loader costs as little)
FAST_MIN_CHARS = 4 * 1024
#: what :func:`fast_load` returns when the document needs the reference loader
DECLINED: Any = object()


class _Decline(Exception):
    pass


_RESOLVERS: dict[Any, list[tuple[str, Any]]] = yaml.resolver.Resolver.yaml_implicit_resolvers
_STR_TAG = "tag:yaml.org,2002:str"


def _plain(value: str, memo: dict[str, Any], inside: re.Pattern[str] | None = None) -> Any:
    """A plain scalar resolved and constructed exactly as PyYAML's SafeLoader does (YAML 1.1
    implicit resolvers, SafeConstructor), dates as ISO strings like :func:`normalize`. ``inside``:
    what may not occur inside it (:data:`_ODD_INSIDE`, in a flow collection; block context allows
    flow indicators after a colon); one ``memo`` per ``inside``."""
    try:
        return memo[value]
    except KeyError:
        pass
    if value and (value[0] in _NOT_PLAIN_START or value[-1] == " " or (value[0] == "-" and value[1:2] in ("", " "))
                  or ((":" in value or "#" in value) and (inside or _ODD_INSIDE).search(value))):
        raise _Decline  # PyYAML refuses it (or reads other tokens there): its loader says how
    tag = _STR_TAG
    for t, rx in _RESOLVERS.get(value[0] if value else "", []) + _RESOLVERS.get(None, []):
        if rx.match(value):
            tag = t
            break
    out: Any = value
    if tag != _STR_TAG:
        ctor = yaml.constructor.SafeConstructor.yaml_constructors.get(tag)
        if ctor is None or tag in ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"):
            raise _Decline
        out = ctor(yaml.constructor.SafeConstructor(), yaml.ScalarNode(tag, value))
        if isinstance(out, (_dt.date, _dt.datetime)):
            out = out.isoformat()
    memo[value] = out
    return out


def fast_load(text: str) -> Any:
    """``text`` loaded with rapidyaml's parser, scalars resolved with PyYAML's own rules: the same
    data as :func:`reference_load`, or :data:`DECLINED` whenever the document uses anything this
    path does not reproduce (anchors, aliases, tags, merge keys, several documents, characters
    PyYAML refuses, a parse error) or rapidyaml is not installed. rapidyaml is more lenient than
    libyaml: what it reads and PyYAML refuses (``_ODD_CHARS``, ``_ODD_TEXT``, ``_NOT_PLAIN_START``,
    ``_ODD_INSIDE``, keys folded in flow mappings) is declined too, so that the reference refuses
    it; ``tests/hostile/test_fast_yaml.py`` compares both over seeded mutations."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # one line break to PyYAML too, in every kind of scalar
    if _NON_PRINTABLE.search(text) or _ODD_CHARS.search(text) or _ODD_TEXT.search("\n" + text):
        return DECLINED
    flow_colon = _FLOW_COLON.search(text) is not None
    header = _HEADER_TEXT.search("\n" + text) is not None
    try:
        import ryml
    except ImportError:
        return DECLINED
    import gc

    paused = gc.isenabled()
    gc.disable()  # a tree of acyclic containers: collecting while building it only costs time
    try:
        tree = ryml.parse_in_arena(text.encode("utf-8"))
        if tree.size() > MAX_NODES:
            return DECLINED
        return _build(tree, ryml, flow_colon, header)
    except (_Decline, RecursionError):
        return DECLINED
    except YamlError:
        raise
    except Exception:  # rapidyaml's parse errors: the reference loader words the message
        return DECLINED
    finally:
        if paused:
            gc.enable()


_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
#: what PyYAML reads as a line break (a lone CR, NEL, LS, PS; CR LF is made LF first), refuses
#: inside a stream (a BOM) or treats otherwise than rapidyaml (a tab, as separation or
#: indentation): documents holding one are declined
_ODD_CHARS = re.compile("[\t\r\x85\u2028\u2029\ufeff]")
_HEADER_JUNK = r"[|>][0-9+-]*+[ ]*+[^ \n]"
#: a colon right before a flow indicator after a plain scalar (``{b:}``, ``[b:, c]``: "found
#: unexpected ':'" inside a flow collection; in block context, as in GitHub's ``pattern:
#: ^(?:[A-Za-z0-9+/]{4})*``, part of the scalar): a document holding one and a flow collection
#: that is not empty is declined
_FLOW_COLON = re.compile(r"(?<![\"']):[,?\[\]{}]")
#: a block scalar header followed by content or a comment on its line (``key: | text``, or
#: ``key:`` then `` | - x``, ``- > x``), searched in ``"\n" + text``: libyaml refuses it where
#: rapidyaml reads a block scalar; a document holding one and a block scalar, a flow collection
#: that is not empty or a quoted key with a space is declined (in quoted scalars, such as
#: GitHub's Markdown tables after a colon, it is text)
_HEADER_TEXT = re.compile(
    r":(?:[ ]*+\n(?:[ ]*+\n)*+[ ]*+" + _HEADER_JUNK + r"|[ ]+" + _HEADER_JUNK + r")"
    r"|\n[ ]*+(?:[-?][ ]+)++" + _HEADER_JUNK)
#: text libyaml refuses where rapidyaml reads something, searched in ``"\n" + text`` (every
#: branch starts with its own character, which keeps the search near 30 ms per MB):
#: a line starting with a value indicator (the value of an explicit
#: key, or of a key left on the line before: ``{b\n : c}``); a directive (``%``) or a document
#: end marker (``...``) at a line's start; a block entry after a flow collection on its line
#: (``- {a: 1}  - b``). Text inside scalars can match too: that document is declined, no more.
_ODD_TEXT = re.compile(r"\n[ ]*+:(?:[ ]|\n)|\n%|\n\.\.\.|\][ ]+-[ ]|\}[ ]+-[ ]")
#: characters that cannot start a plain scalar for PyYAML (indicators), which rapidyaml accepts
#: at the start of one in some places (``a: @x``, ``- `x``, ``]: y``), and a space (a plain
#: scalar has none at either end; rapidyaml keeps the indentation of a wrongly indented key)
_NOT_PLAIN_START = frozenset("@`%!&*|>'\"#,[]{}?: ")
#: a colon inside a plain scalar where libyaml sees a value indicator or refuses it (``{b:? c}``),
#: a comment that rapidyaml kept in a plain scalar (``{c: x #}}``); in block context, a colon
#: before a flow indicator is part of the scalar
_ODD_INSIDE = re.compile(r":(?:[ ,?\[\]{}]|$)| #")
_ODD_INSIDE_BLOCK = re.compile(r":(?: |$)| #")


def _build(tree: Any, ryml: Any, flow_colon: bool = True, header: bool = True) -> Any:
    """The data of ``tree``; ``flow_colon``: the text holds a colon before a flow indicator
    (:data:`_FLOW_COLON`), which libyaml refuses inside a flow collection that is not empty;
    ``header``: the text holds a block scalar header followed by text (:data:`_HEADER_TEXT`),
    which libyaml refuses where rapidyaml reads a block scalar (or reads otherwise inside a flow
    collection that is not empty)."""
    none = ryml.NONE
    bad = ryml.KEYANCH | ryml.VALANCH | ryml.KEYREF | ryml.VALREF | ryml.KEYTAG | ryml.VALTAG | ryml.KEYNIL
    is_map, is_seq, is_val = ryml.MAP, ryml.SEQ, ryml.VAL
    key_plain, val_plain, val_nil = ryml.KEY_PLAIN, ryml.VAL_PLAIN, ryml.VALNIL
    #: a flow mapping over several lines: a key there (plain or quoted) may have been folded from
    #: two lines, which libyaml refuses (a simple key spans one line) and rapidyaml accepts
    flow_ml = getattr(ryml, "FLOW_ML", 0)
    flow_style = getattr(ryml, "CONTAINER_STYLE_FLOW", ryml.FLOW_SL | flow_ml)
    low = getattr(ryml, "_ryml", None)
    if low is not None and hasattr(low, "Tree_type"):  # the extension's functions, without wrappers
        t_type, t_first, t_next = low.Tree_type, low.Tree_first_child, low.Tree_next_sibling
        t_key, t_val = low.Tree_key, low.Tree_val
    else:  # pragma: no cover - another binding layout

        def t_type(_: Any, i: int) -> int:
            return int(tree.type(i))

        def t_first(_: Any, i: int) -> int:
            return int(tree.first_child(i))

        def t_next(_: Any, i: int) -> int:
            return int(tree.next_sibling(i))

        def t_key(_: Any, i: int) -> Any:
            return tree.key(i)

        def t_val(_: Any, i: int) -> Any:
            return tree.val(i)

    #: per context (block, flow): resolved plain scalars, resolved keys, what a plain scalar may not hold
    memos: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    key_memos: tuple[dict[str, str], dict[str, str]] = ({}, {})
    insides = (_ODD_INSIDE_BLOCK, _ODD_INSIDE)
    #: a node whose type, under this mask, is VAL alone is a plain, untagged, unanchored scalar
    scalar_mask = bad | is_map | is_seq | is_val
    if header:  # no block scalar may be read then (literal or folded, key or value)
        bad |= ryml.VAL_LITERAL | ryml.VAL_FOLDED | ryml.KEY_LITERAL | ryml.KEY_FOLDED
        scalar_mask = bad | is_map | is_seq | is_val
    #: a key over several lines (folded: it holds a space or a line break; quoted, or plain in a
    #: flow collection), which libyaml refuses and rapidyaml reads, when the header text may lie
    #: inside it
    key_quoted = ryml.KEY_SQUO | ryml.KEY_DQUO

    def node(i: int, ty: int, depth: int, flow: bool = False) -> Any:
        if depth > MAX_DEPTH:
            raise YamlError(f"document nests deeper than {MAX_DEPTH} levels; refused")
        if ty & bad:
            raise _Decline
        if ty & (is_map | is_seq) and ty & flow_style:
            flow = True
            if (flow_colon or header) and t_first(tree, i) != none:
                raise _Decline  # a colon before a flow indicator, or a header, maybe inside this collection
        memo, keys, inside = memos[flow], key_memos[flow], insides[flow]
        if ty & is_map:
            d: dict[str, Any] = {}
            shallow = depth + 1 <= MAX_DEPTH
            folded_keys = bool(ty & flow_ml)
            c = t_first(tree, i)
            while c != none:
                cty = t_type(tree, c)
                k = str(t_key(tree, c), "utf-8")
                if (folded_keys or (header and (flow or cty & key_quoted))) and (" " in k or "\n" in k):
                    raise _Decline
                if cty & key_plain:
                    got = keys.get(k)
                    if got is None:
                        if k == "<<":
                            raise _Decline
                        v = _plain(k, memo, inside)
                        got = keys[k] = v if isinstance(v, str) else _key(v)
                    k = got
                if k in d:
                    raise _Decline  # a repeated key: the reference loader says how it is refused
                if cty & scalar_mask == is_val and shallow:  # a scalar, inline (as node() would)
                    if cty & val_nil:
                        d[k] = None
                    else:
                        v = str(t_val(tree, c), "utf-8")
                        d[k] = _plain(v, memo, inside) if cty & val_plain else v
                else:
                    d[k] = node(c, cty, depth + 1, flow)
                c = t_next(tree, c)
            return d
        if ty & is_seq:
            out: list[Any] = []
            c = t_first(tree, i)
            while c != none:
                out.append(node(c, t_type(tree, c), depth + 1, flow))
                c = t_next(tree, c)
            return out
        if not ty & is_val:
            raise _Decline
        if ty & val_nil:
            return None
        v = str(t_val(tree, i), "utf-8")
        return _plain(v, memo, inside) if ty & val_plain else v

    root = tree.root_id()
    rty = t_type(tree, root)
    if rty & ryml.STREAM == ryml.STREAM or rty & ryml.DOC or not rty & (is_map | is_seq):
        raise _Decline  # several documents, or a scalar document (``>`` then text: libyaml refuses some)
    return node(root, rty, 0)


@dataclass
class YamlDoc:
    """A YAML file's data, with :meth:`line` to locate a key path."""

    path: str
    text: str
    data: Any
    _root: yaml.Node | None = field(default=None, repr=False)
    _composed: bool = field(default=False, repr=False)
    _locator: _Locator | None = field(default=None, repr=False)

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
        Block-style documents are located from the text (:class:`_Locator`) when it can say for
        sure, without composing a node tree of the whole file; otherwise the node tree answers.
        """
        if not self._composed:
            if self._locator is None:
                self._locator = _Locator(self.text, self.data)
            found = self._locator.line(keys)
            if found is not None:
                return found
        return self.tree_line(keys)

    def tree_line(self, keys: Sequence[Key] = ()) -> int:
        """:meth:`line` from PyYAML's composed node tree (the reference)."""
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


# -- locating keys in large block-style documents without a node tree -------------------------------
_ENTRY_END = re.compile(r"[ \t]*:(?:[ \t]|$)", re.M)  # "$": also before a line break


class _Block:
    """A block node in the text: where its first entry starts, its column, its extent."""

    __slots__ = ("children", "col", "end", "start")

    def __init__(self, start: int, col: int, end: int) -> None:
        self.start, self.col, self.end = start, col, end
        self.children: dict[Key, tuple[int, int, int]] | None = None  # key → (entry, value, end)


class _Locator:
    """Lines of key paths read from the text of a block-style document (what PyYAML's dumper and
    people write), checked against the loaded data. ``line`` returns None whenever the text is
    not plainly block style along the way (flow collections, anchors, tags, complex keys, a key
    it cannot match): the caller then asks the composed node tree."""

    def __init__(self, text: str, data: Any) -> None:
        self.text = text
        self.data = data
        self._nl: list[int] | None = None
        self._blocks: dict[tuple[Key, ...], _Block | None] = {}

    def _lineno(self, offset: int) -> int:
        if self._nl is None:
            self._nl = [m.start() for m in re.finditer("\n", self.text)]
        import bisect

        return bisect.bisect_left(self._nl, offset) + 1

    def _content(self, pos: int, end: int) -> int | None:
        """Offset of the first content character at or after ``pos`` (blank and comment lines
        skipped), None when there is none before ``end``."""
        t = self.text
        while pos < end:
            c = t[pos]
            if c in " \t\r\n":
                pos += 1
            elif c == "#":
                nl = t.find("\n", pos, end)
                if nl < 0:
                    return None
                pos = nl + 1
            else:
                return pos
        return None

    def _col(self, offset: int) -> int:
        return offset - (self.text.rfind("\n", 0, offset) + 1)

    def _root(self) -> _Block | None:
        start = self._content(0, len(self.text))
        if start is not None and re.compile(r"---[ \t]*(?:#[^\n]*)?\n").match(self.text, start):
            start = self._content(self.text.index("\n", start) + 1, len(self.text))  # one explicit start
        if start is None or self.text.startswith(("---", "%", "..."), start):
            return None
        return _Block(start, self._col(start), len(self.text))

    def line(self, keys: Sequence[Key]) -> int | None:
        block = self._blocks.get(())
        if () not in self._blocks:
            block = self._blocks[()] = self._root()
        if block is None:
            return None
        line = self._lineno(block.start)
        cur = self.data
        path: tuple[Key, ...] = ()
        for k in keys:
            if not isinstance(cur, (dict, list)):
                return line  # a scalar has no children: the node tree stops here too
            if block is None:
                return None
            children = self._children(block, isinstance(cur, list))
            if children is None:
                return None
            if isinstance(cur, dict):
                found = isinstance(k, str) and k in cur
            else:
                found = isinstance(k, int) and not isinstance(k, bool) and 0 <= k < len(cur)
            if not found:
                # the node tree matches keys by their text: one the data names otherwise is its call
                return None if isinstance(cur, dict) and str(k) in children else line
            if k not in children:
                return None
            cur = cur[k]  # type: ignore[index]
            entry, value, end = children[k]
            line = self._lineno(entry if isinstance(k, str) else value)
            path = (*path, k)
            if path not in self._blocks:
                self._blocks[path] = self._value_block(value, end) if isinstance(cur, (dict, list)) else None
            block = self._blocks[path]
        return line

    def _value_block(self, value: int, end: int) -> _Block | None:
        start = self._content(value, end)
        if start is None or self.text[start] in "{[&*!|>?\"'":
            return None
        return _Block(start, self._col(start), end)

    def _children(self, b: _Block, seq: bool) -> dict[Key, tuple[int, int, int]] | None:
        if b.children is not None:
            return b.children
        t = self.text
        # every entry of the block: lines (or the block's first position) at its column
        starts = [b.start]
        rx = re.compile(r"^ {" + str(b.col) + r"}(?=[^ \t\r\n#])", re.M)
        nl = t.find("\n", b.start, b.end)
        pos = b.end if nl < 0 else nl + 1
        for m in rx.finditer(t, pos, b.end):
            starts.append(m.end())
        # a line less indented than the block ends it (the value's end was computed by the parent)
        out: dict[Key, tuple[int, int, int]] = {}
        if seq:
            items = [s for s in starts if t.startswith("-", s) and (s + 1 >= len(t) or t[s + 1] in " \t\r\n")]
            if len(items) != len(starts):
                return None
            for n, s in enumerate(items):
                end = items[n + 1] if n + 1 < len(items) else b.end
                value = self._content(s + 1, end)
                if value is None:
                    return None
                out[n] = (s, value, end)
        else:
            entries: list[tuple[str, int, int]] = []
            for s in starts:
                if t.startswith("-", s) and (s + 1 >= len(t) or t[s + 1] in " \t\r\n"):
                    continue  # a sequence at the key's column: part of the previous key's value
                parsed = self._key_at(s)
                if parsed is None:
                    return None
                entries.append((parsed[0], s, parsed[1]))
            for n, (k, s, value) in enumerate(entries):
                end = entries[n + 1][1] if n + 1 < len(entries) else b.end
                out.setdefault(k, (s, value, end))  # a duplicate key: the node tree finds the first
        b.children = out
        return out

    def _key_at(self, s: int) -> tuple[str, int] | None:
        """The key written at ``s`` (as the data has it) and where its value starts."""
        t = self.text
        c = t[s]
        if c == "'":
            close = s + 1
            while True:
                close = t.find("'", close)
                if close < 0:
                    return None
                if t.startswith("''", close):
                    close += 2
                    continue
                break
            raw = t[s + 1 : close].replace("''", "'")
            if "\n" in raw:
                return None
            m = _ENTRY_END.match(t, close + 1)
            return (raw, m.end()) if m else None
        if c == '"':
            import json

            close = s + 1
            while True:
                close = t.find('"', close)
                if close < 0:
                    return None
                if t[close - 1] == "\\" and not t.startswith("\\\\", close - 2):
                    close += 1
                    continue
                break
            try:
                raw = json.loads(t[s : close + 1])
            except ValueError:
                return None
            m = _ENTRY_END.match(t, close + 1)
            return (raw, m.end()) if isinstance(raw, str) and m else None
        if c in "{[&*!|>?%@`,":
            return None
        eol = t.find("\n", s)
        eol = len(t) if eol < 0 else eol
        m = re.compile(r"[ \t]*:(?:[ \t]|$)", re.M).search(t, s, eol)
        if m is None:
            return None
        raw = t[s : m.start()]
        if " #" in raw or not raw:
            return None
        return raw, m.end()  # the key's text, as the node tree compares it
