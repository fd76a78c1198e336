"""A service's OpenAPI description, read once per run: its operations, local ``$ref``
resolution, header parameters, the "example" rule and validity.

Used by ``artifacts.openapi`` (validity, descriptions, examples), the SDK checks
(``operationId``s) and the TypeScript checks (code↔spec route parity, ``Idempotency-Key``).

- :func:`spec_path` — where the service's OpenAPI document is (``contracts.openapi`` in
  service.yaml, relative to the service folder; default ``openapi.yaml``).
- :func:`operations` — every operation of the document (method, path template, operationId,
  line in the file, the operation object), cached per run with ``ws.derive``.
- :func:`resolve` / :func:`deref` — follow ``$ref``s *within the document* (``#/...``); a
  ``$ref`` to another file or URL is never followed (the gate reads no network, and external
  documents are not part of the service's contract file).
- :func:`header_params` — the header parameters of an operation (path-item and operation
  level, ``$ref``s resolved), keyed by lower-cased name.
- :func:`validity` — problems that make the document an invalid OpenAPI 3.0/3.1 description,
  with the same verdict as openapi-spec-validator (which it runs, with its jsonschema-rs backend
  when available), each located at a line.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gate.model import Finding
from gate.sources.yaml.parse import Key, YamlDoc
from gate.workspace import SourceProblem, Workspace

HTTP_METHODS: tuple[str, ...] = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MUTATION_METHODS: frozenset[str] = frozenset({"post", "put", "patch", "delete"})
DEFAULT_SPEC = "openapi.yaml"
_MAX_REF_HOPS = 32


@dataclass(frozen=True)
class Operation:
    """One operation of an OpenAPI document.

    ``method`` is lower case (``post``); ``path`` is the template as written in the document
    (``/payments/{id}``); ``line`` is the line of the method key in ``file``; ``node`` is the
    operation object as written (``$ref``s unresolved); ``path_item`` its path item (resolved
    when the path item itself is a ``$ref``); ``root`` the whole document, for :func:`resolve`.
    """

    method: str
    path: str
    operation_id: str | None
    line: int
    node: dict[str, Any]
    file: str
    path_item: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    root: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: ``paths``, or ``webhooks`` for a 3.1 webhook (``path`` is then the webhook's name)
    section: str = "paths"
    #: the ``$ref`` the operation is written as, when it leaves the document or dangles (the
    #: validity half reports it; nothing else can be said of the operation)
    unresolved_ref: str | None = None

    @property
    def keys(self) -> tuple[Key, ...]:
        """The key path of the operation in the document (for ``YamlDoc.line``)."""
        return (self.section, self.path, self.method)

    @property
    def is_mutation(self) -> bool:
        return self.method in MUTATION_METHODS

    @property
    def label(self) -> str:
        """``POST /payments`` (``webhook paymentSettled POST``) — how messages name an operation."""
        if self.section == "webhooks":
            return f"webhook {self.path} {self.method.upper()}"
        return f"{self.method.upper()} {self.path}"

    @property
    def hono_path(self) -> str:
        """The path written the way Hono routes are (``/payments/:id``)."""
        return re.sub(r"\{([^}/]+)\}", r":\1", self.path)


def spec_path(ws: Workspace, service_dir: str, manifest: YamlDoc | None = None) -> str:
    """Repo-relative path of a service's OpenAPI document (``contracts.openapi`` or the default)."""
    rel = DEFAULT_SPEC
    if manifest is not None:
        v = manifest.get(["contracts", "openapi"])
        if isinstance(v, str) and v.strip():
            rel = v.strip()
    return f"{service_dir}/{rel}" if service_dir else rel


def document(ws: Workspace, path: str) -> YamlDoc | None:
    """The parsed document (None when the file does not exist); SourceProblem when it is not a
    YAML/JSON mapping. A JSON document is read as JSON when YAML would read it the same way
    (:mod:`gate.sources.yaml.jsondoc`), otherwise with the workspace's YAML loader."""
    return ws.derive("openapi.document", path, lambda: _document(ws, path))


def _document(ws: Workspace, path: str) -> YamlDoc | None:
    from gate.sources.yaml import jsondoc
    text = ws.text(path)
    if text is None:
        return None
    doc: YamlDoc | None = jsondoc.load(path, text)
    if doc is None:
        doc = ws.yaml(path)
        doc = jsondoc.locating(doc) if doc is not None else None
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        raise SourceProblem(Finding(f"{path} is not an OpenAPI document (not a mapping of keys)", path, 1))
    return doc


def resolve(root: Any, ref: str) -> Any:
    """The value a local ``$ref`` (``#/components/schemas/Payment``) points at in ``root``;
    None when the reference is not local or points at nothing."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    pointer = ref[1:]
    if pointer == "":
        return root
    if not pointer.startswith("/"):
        return None
    cur: Any = root
    for raw in pointer[1:].split("/"):
        part = _unpercent(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return None
    return cur


def _unpercent(s: str) -> str:
    if "%" not in s:
        return s
    from urllib.parse import unquote

    return unquote(s)


def deref(root: Any, node: Any) -> Any:
    """``node`` with its ``$ref`` chain followed within ``root`` (None when it dangles or loops)."""
    seen: set[str] = set()
    for _ in range(_MAX_REF_HOPS):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        ref = node["$ref"]
        if ref in seen:
            return None
        seen.add(ref)
        node = resolve(root, ref)
    return None


def operations(ws: Workspace, path: str) -> list[Operation]:
    """Every operation of the document at ``path`` (document order), computed once per run.

    Empty when the file does not exist; SourceProblem when it cannot be parsed.
    """
    return ws.derive("openapi.operations", path, lambda: _operations(ws, path))


def _operations(ws: Workspace, path: str, section: str = "paths") -> list[Operation]:
    doc = document(ws, path)
    if doc is None:
        return []
    root: dict[str, Any] = doc.data
    paths = root.get(section)
    out: list[Operation] = []
    if not isinstance(paths, dict):
        return out
    for template, raw_item in paths.items():
        item = _path_item(root, raw_item)
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            unresolved = None
            if isinstance(op.get("$ref"), str):  # not OpenAPI, but written: follow it within the document
                target = deref(root, op)
                if isinstance(target, dict):
                    op = target
                else:
                    unresolved = op["$ref"]
            oid = op.get("operationId")
            out.append(
                Operation(
                    method=method,
                    path=str(template),
                    operation_id=oid if isinstance(oid, str) and oid else None,
                    line=doc.line((section, str(template), method)),
                    node=op,
                    file=path,
                    path_item=item,
                    root=root,
                    section=section,
                    unresolved_ref=unresolved,
                )
            )
    return out


def webhook_operations(ws: Workspace, path: str) -> list[Operation]:
    """The operations of the document's ``webhooks`` (OpenAPI 3.1): requests the service sends,
    not routes it serves (never part of route parity), computed once per run."""
    return ws.derive("openapi.webhooks", path, lambda: _operations(ws, path, "webhooks"))


def _path_item(root: dict[str, Any], item: Any) -> Any:
    """A path item with its ``$ref`` followed; fields written beside the ``$ref`` are kept (the
    specification leaves a clash undefined: the written one wins here)."""
    if not (isinstance(item, dict) and "$ref" in item):
        return item
    target = deref(root, item)
    if not isinstance(target, dict):
        return None
    siblings = {k: v for k, v in item.items() if k != "$ref"}
    return {**target, **siblings} if siblings else target


def described(op: Operation) -> bool:
    """The operation's ``description`` shows something once rendered as Markdown (see
    :func:`gate.sources.markdown.parse.visible_text`): a comment, a hidden element, a link definition
    or zero-width characters describe nothing."""
    desc = op.node.get("description")
    if not isinstance(desc, str):
        return False
    if _plainly_shown(desc):
        return True
    from gate.sources.markdown.parse import visible_text

    return bool(visible_text(desc))


#: what can hide letters besides HTML and entities: a line opening a fence (its info string) or a
#: link definition (``[label]:``; its label and title may span lines), also inside a block quote
#: or a list item
_FENCE_LINE = re.compile(r"(?m)^[ \t>*+\-0-9.)]*(?:```|~~~)")
_BRACKET_LINE = re.compile(r"(?m)^[ \t>*+\-0-9.)]*\[")
#: a link's (or an image's) destination written plainly: no title, no parentheses, no escape
#: (a ``](`` left once these are taken out may hide letters up to a ``)`` further on)
_DESTINATION = re.compile(r"\]\([^\s()<>\"'\\]*\)")
#: a line that may be a table's delimiter row (a row's cells past the header's are not shown)
_DELIMITER_ROW = re.compile(r"(?m)^[ \t>*+\-0-9.)]*[-:|][-:| \t]*$")
#: an HTML tag of an element that shows its content (formatting, lists, tables), its attributes
#: quoted without ``<`` or ``>``; a tag also naming ``hidden`` or ``style`` anywhere is not one
_SHOWING_TAG = re.compile(
    r"</?(?:p|a|b|i|u|s|em|strong|code|pre|br|hr|ul|ol|li|h[1-6]|span|div|table|thead|tbody|tr|td|th|sup|sub|"
    r"blockquote|dl|dt|dd|kbd|small|del|ins|tt|var|samp|mark|abbr|cite|q)"
    r"""(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+))?)*\s*/?>""",
    re.IGNORECASE)
_HIDING_WORD = re.compile(r"hidden|style", re.IGNORECASE)
#: an entity or character reference: one character once rendered (which may show nothing)
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _plainly_shown(text: str) -> bool:
    """``text`` certainly shows a letter once rendered, without rendering it (most descriptions:
    GitHub's 930 took a second to render, Stripe's 452 are HTML): no line opening a link
    definition anywhere (one after a fence still makes a reference before it a link); before the
    first line opening a fence, no image, no comment or declaration, no table, every ``<``
    opening a tag of an element that shows its content (:data:`_SHOWING_TAG`), every link
    destination plain (:data:`_DESTINATION`), and a letter outside every tag, entity and link
    destination (block syntax hides only markers and digits). False means "render it to know"."""
    if "]:" in text and _BRACKET_LINE.search(text):
        return False
    fence = _FENCE_LINE.search(text)
    if fence:  # text before the first fence shows as it would without what follows (a line that
        # only looks like a fence continues the paragraph: a link title there is declined below)
        text = text[:fence.start()]
    if "![" in text or "<!" in text or "<?" in text:
        return False
    if "|" in text and _DELIMITER_ROW.search(text):
        return False
    if "<" in text:
        tags = _SHOWING_TAG.findall(text)
        if any(_HIDING_WORD.search(t) for t in tags):
            return False
        text = _SHOWING_TAG.sub(" ", text)
        if "<" in text:
            return False  # some other tag, or an autolink
    if "](" in text:
        text = _DESTINATION.sub("]", text)
        if "](" in text:
            return False  # a destination with a title, parentheses or an escape
    if "&" in text:
        text = _ENTITY.sub(" ", text)
    # a cased letter (fillers such as U+3164 are letters that show nothing: rendered, they are judged)
    return any(ch.isalpha() and ch.lower() != ch.upper() for ch in text)


def parameters(op: Operation) -> list[dict[str, Any]]:
    """The operation's parameters, ``$ref``s resolved: path-item level ones overridden by the
    operation's own (same ``name`` and ``in``), as OpenAPI defines."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for source in (op.path_item.get("parameters"), op.node.get("parameters")):
        if not isinstance(source, list):
            continue
        for p in source:
            p = deref(op.root, p)
            if isinstance(p, dict) and isinstance(p.get("name"), str) and isinstance(p.get("in"), str):
                merged[(p["in"], p["name"].lower() if p["in"] == "header" else p["name"])] = p
    return list(merged.values())


def header_params(op: Operation) -> dict[str, dict[str, Any]]:
    """Header parameters of ``op`` keyed by lower-cased name (``"idempotency-key"``)."""
    return {p["name"].lower(): p for p in parameters(op) if p.get("in") == "header"}


# -- the "example" rule of the conventions ------------------------------------------------------


def _has_example(root: dict[str, Any], media: Any) -> bool:
    media = deref(root, media)
    if not isinstance(media, dict):
        return False
    if _is_example(root, media, examples_map=True):
        return True
    raw = media.get("schema")
    # OpenAPI 3.1 schemas apply keywords written beside a ``$ref``; 3.0 ignores them
    if isinstance(raw, dict) and str(root.get("openapi", "")).startswith("3.1") and _is_example(root, raw):
        return True
    schema = deref(root, raw)
    return isinstance(schema, dict) and _is_example(root, schema)


def _is_example(root: dict[str, Any], obj: dict[str, Any], examples_map: bool = False) -> bool:
    """``obj`` (a media type, or a schema) holds an example: ``example`` that is not null, or
    ``examples`` — a media type's map of Example objects, one with a non-null ``value`` or an
    ``externalValue``; a schema's array (3.1), one item not null. ``example: null`` shows nothing."""
    if obj.get("example") is not None:
        return True
    ex = obj.get("examples")
    if isinstance(ex, list):
        return any(v is not None for v in ex)
    if isinstance(ex, dict) and examples_map:
        for one in ex.values():
            one = deref(root, one)
            if isinstance(one, dict) and (one.get("value") is not None or bool(one.get("externalValue"))):
                return True
    return False


def _content(root: dict[str, Any], obj: Any) -> dict[str, Any]:
    obj = deref(root, obj)
    if not isinstance(obj, dict):
        return {}
    content = obj.get("content")
    return content if isinstance(content, dict) else {}


def missing_examples(op: Operation) -> list[str]:
    """What lacks an example in ``op`` (empty when it satisfies the conventions):

    - each media type of the request body needs ``example``/``examples`` (or its schema does);
    - when some 2xx response has content, at least one such response needs it in every media
      type it declares.
    """
    out: list[str] = []
    body = _content(op.root, op.node.get("requestBody"))
    for mtype, media in body.items():
        if not _has_example(op.root, media):
            out.append(f"request body {mtype} has no example")
    responses = op.node.get("responses")
    if isinstance(responses, dict):
        with_content: list[tuple[str, dict[str, Any]]] = []
        for code, resp in responses.items():
            c = str(code)
            if len(c) == 3 and c[0] == "2":
                content = _content(op.root, resp)
                if content:
                    with_content.append((c, content))
        if with_content and not any(
            all(_has_example(op.root, m) for m in content.values()) for _, content in with_content
        ):
            codes = ", ".join(c for c, _ in with_content)
            out.append(f"no 2xx response with content has an example (responses {codes})")
    return out


# -- validity -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why the document is not a valid OpenAPI 3.0/3.1 description, at a key path."""

    message: str
    keys: tuple[Key, ...] = ()


#: keys whose values are data, not description: a ``$ref`` key inside them is not a reference
_DATA_KEYS = frozenset({"example", "default", "enum", "const"})


def _is_data(ks: tuple[Key, ...], k: str) -> bool:
    if k in _DATA_KEYS or k.startswith("x-"):
        return True
    # the ``value`` of an Example object (``examples: {name: {value: ...}}``)
    return k == "value" and len(ks) >= 2 and ks[-2] == "examples"


def _mappings(node: Any, keys: tuple[Key, ...] = ()) -> Iterator[tuple[dict[str, Any], tuple[Key, ...]]]:
    """Every mapping below ``node`` (itself included) with its key path, in document order; data
    values skipped."""
    stack: list[tuple[Any, tuple[Key, ...]]] = [(node, keys)]
    while stack:
        cur, ks = stack.pop()
        if isinstance(cur, dict):
            yield cur, ks
            for k, v in reversed(cur.items()):  # reversed onto the stack: document order out
                if isinstance(v, (dict, list)) and not _is_data(ks, str(k)):
                    stack.append((v, (*ks, k)))
        elif isinstance(cur, list):
            for i in range(len(cur) - 1, -1, -1):
                if isinstance(cur[i], (dict, list)):
                    stack.append((cur[i], (*ks, i)))


def _plain_mappings(root: Any) -> Iterator[dict[str, Any]]:
    """:func:`_mappings` without the key paths (cheaper: most walks need no path)."""
    # (node, the key it is under, the key its parent is under)
    stack: list[tuple[Any, Any, Any]] = [(root, None, None)]
    while stack:
        cur, key, parent = stack.pop()
        if isinstance(cur, dict):
            yield cur
            for k, v in cur.items():
                if isinstance(v, (dict, list)) and not (
                        k in _DATA_KEYS or str(k).startswith("x-") or (k == "value" and parent == "examples")):
                    stack.append((v, k, key))
        elif isinstance(cur, list):
            stack.extend((v, i, key) for i, v in enumerate(cur) if isinstance(v, (dict, list)))


def _walk_refs(node: Any, keys: tuple[Key, ...]) -> Iterator[tuple[str, tuple[Key, ...]]]:
    for cur, ks in _mappings(node, keys):
        ref = cur.get("$ref")
        if isinstance(ref, str):
            yield ref, (*ks, "$ref")


def _ref_loop(root: Any, ref: str) -> bool:
    """Does following ``ref`` come back to a ``$ref`` already followed (within
    :data:`_MAX_REF_HOPS`)? The validators recurse for ever on it (no location, no fix)."""
    seen: set[str] = set()
    node: Any = {"$ref": ref}
    for _ in range(_MAX_REF_HOPS):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return False
        if node["$ref"] in seen:
            return True
        seen.add(node["$ref"])
        node = resolve(root, node["$ref"])
    return False


def _survey(root: Any) -> tuple[set[str], list[dict[str, Any]]]:
    """One walk of the document (data values skipped, as :func:`_mappings` skips them): every
    ``$ref`` string, and the mappings holding ``allOf`` or ``default`` (what
    :func:`expansion_problem` expands)."""
    refs: set[str] = set()
    marked: list[dict[str, Any]] = []
    data_keys = _DATA_KEYS
    containers = (dict, list)
    # (node, the key it is under, the key its parent is under)
    stack: list[tuple[Any, Any, Any]] = [(root, None, None)]
    push, pop = stack.append, stack.pop
    while stack:
        cur, key, parent = pop()
        if isinstance(cur, list):
            for i, v in enumerate(cur):
                if isinstance(v, containers):
                    push((v, i, key))
            continue
        if not isinstance(cur, dict):
            continue
        ref = cur.get("$ref")
        if isinstance(ref, str):
            refs.add(ref)
        if "allOf" in cur or "default" in cur:
            marked.append(cur)
        for k, v in cur.items():
            if isinstance(v, containers) and k not in data_keys and not (
                    str(k).startswith("x-") or (k == "value" and parent == "examples")):
                push((v, k, key))
    return refs, marked


def _ref_fine(root: Any, ref: str) -> bool:
    return ref.startswith("#") and resolve(root, ref) is not None and not _ref_loop(root, ref)


def ref_problems(root: dict[str, Any], refs: set[str] | None = None) -> list[Problem]:
    """``$ref``s that leave the document or point at nothing (sorted by key path). ``refs``, every
    ``$ref`` of the document (:func:`_survey`), answers at once when each is fine."""
    if refs is not None and all(_ref_fine(root, r) for r in refs):
        return []
    out: list[Problem] = []
    for ref, keys in _walk_refs(root, ()):
        if not ref.startswith("#"):
            out.append(Problem(f"$ref {ref!r} points outside the document; the gate follows only "
                               "references within openapi.yaml (#/components/...): inline it or move it "
                               "under components", keys))
        elif resolve(root, ref) is None:
            out.append(Problem(f"$ref {ref!r} points at nothing in the document: fix the reference or "
                               "add the component", keys))
        elif _ref_loop(root, ref):
            out.append(Problem(f"$ref {ref!r} leads only to other $refs, in a loop: point one of them at "
                               "the object itself", keys))
    out.sort(key=lambda p: [str(k) for k in p.keys])
    return out


#: CPU seconds one match of a document's ``pattern`` against one value may take (in the child)
PATTERN_SECONDS = float(os.environ.get("PRODGATE_OPENAPI_SECONDS", "20"))
#: CPU seconds the whole validation may take in the child (a backstop: a real description takes
#: seconds; this only ends a child that something else made endless)
CHILD_CPU_SECONDS = float(os.environ.get("PRODGATE_OPENAPI_CPU_SECONDS", "300"))
#: schemas the applicators of one schema may expand to, each ``$ref`` followed
#: (openapi-spec-validator walks that expansion once per ``allOf`` member, without memory)
MAX_EXPANSION = 10_000
_APPLICATORS = ("allOf", "anyOf", "oneOf", "not", "items")


def _has_pattern(root: Any) -> bool:
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str) or "patternProperties" in node:
                return True
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return False


def expansion_problem(root: dict[str, Any], limit: int = MAX_EXPANSION,
                      marked: list[dict[str, Any]] | None = None) -> Problem | None:
    """A schema the validators would walk more than ``limit`` times, or for ever (None when there
    is none), each ``$ref`` followed:

    - a member of an ``allOf``: openapi-spec-validator collects its properties by walking its
      ``allOf``/``anyOf``/``oneOf``/``not``/``items``, with no memory of what it walked (a chain
      whose each level references the previous one twice doubles per level: 30 levels in 4 KB
      never finish; a loop recurses until Python gives up);
    - a schema holding a ``default``: the value is validated against its ``allOf``/``anyOf``/
      ``oneOf``/``not``, likewise.

    Each schema is counted once here (linear in the document). The schema named is the level
    where the expansion crosses the limit (what it applies stays under it), the first in document
    order; a loop names its first schema. ``marked``, the mappings holding ``allOf`` or
    ``default`` (:func:`_survey`), spares a walk of the document."""
    cap = limit + 1
    sizes: dict[tuple[str, ...], dict[int, int]] = {_APPLICATORS: {}, _SAME_VALUE: {}}

    def expanded(start: Any, kws: tuple[str, ...]) -> int:
        size = sizes[kws]
        start = deref(root, start)
        if not isinstance(start, dict):
            return 1
        known = size.get(id(start))
        if known is not None:
            return known
        if not any(kw in start for kw in kws):  # applies nothing (most schemas holding a default)
            size[id(start)] = 1
            return 1
        stack: list[tuple[dict[str, Any], bool]] = [(start, False)]
        open_: set[int] = set()
        while stack:
            node, done = stack.pop()
            nid = id(node)
            if nid in size:
                continue
            kids = [deref(root, c) for c in _applied(node, kws)]
            if done:
                open_.discard(nid)
                size[nid] = min(cap, 1 + sum(size.get(id(c), 1) if isinstance(c, dict) else 1 for c in kids))
                continue
            if nid in open_:
                size[nid] = cap  # a loop: endless for the validator
                continue
            open_.add(nid)
            stack.append((node, True))
            for c in kids:
                if isinstance(c, dict) and id(c) not in size:
                    if id(c) in open_:
                        size[id(c)] = cap
                    else:
                        stack.append((c, False))
        return size[id(start)]

    def walked(node: dict[str, Any]) -> Iterator[tuple[dict[str, Any], tuple[str, ...]]]:
        """The schemas ``node`` makes the validators walk, and with which keywords."""
        members = node.get("allOf")
        if isinstance(members, list):
            for m in members:
                m = deref(root, m)
                if isinstance(m, dict):
                    yield m, _APPLICATORS
        if "default" in node:
            yield node, _SAME_VALUE

    if not any(expanded(s, kws) > limit for node in (_plain_mappings(root) if marked is None else marked)
               for s, kws in walked(node)):
        return None
    past = {id(s): (s, kws) for node in _plain_mappings(root) for s, kws in walked(node) if expanded(s, kws) > limit}
    where = {id(node): keys for node, keys in _mappings(root) if id(node) in past}
    crossing = [where[i] for i, (s, kws) in past.items() if i in where and all(
        sizes[kws].get(id(c), 1) <= limit for c in (deref(root, c) for c in _applied(s, kws)) if isinstance(c, dict))]
    keys = min(crossing or list(where.values()) or [()], key=_order)
    return Problem(f"its allOf/anyOf/oneOf/not/items, each $ref followed, expand to more than {limit:,} "
                   "schemas (levels that reference the previous one more than once, or a loop): "
                   "openapi-spec-validator walks that expansion without memory and would not finish; "
                   "reference each schema once per level, or flatten the chain", keys)


def _order(keys: tuple[Key, ...]) -> list[str]:
    return [str(k) for k in keys]


#: what applies to the same value (validating a ``default``)
_SAME_VALUE = ("allOf", "anyOf", "oneOf", "not")


def _applied(node: dict[str, Any], kws: tuple[str, ...] = _APPLICATORS) -> list[Any]:
    out: list[Any] = []
    for kw in kws:
        v = node.get(kw)
        if isinstance(v, list):
            out.extend(v)
        elif isinstance(v, dict):
            out.append(v)
    return out


class _TimedRe:
    """``re`` for the validators in the child: each ``search`` runs under a CPU-time alarm
    (``ITIMER_PROF``: this process's CPU, not the wall clock of a loaded machine). A match that
    runs out is recorded (the pattern is named in the finding) and answered "no match", so the
    validation goes on and its real findings still come out."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.slow: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    def search(self, pattern: Any, string: Any, flags: int = 0) -> Any:
        import signal

        if pattern in self.slow:
            return None
        signal.setitimer(signal.ITIMER_PROF, self.seconds)
        try:
            return re.search(pattern, string, flags)
        except _OutOfTime:
            self.slow.append(str(pattern.pattern if isinstance(pattern, re.Pattern) else pattern))
            return None
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)


class _OutOfTime(Exception):
    pass


def _child_main() -> None:
    """The child's side of :func:`_validate_in_child`: read ``{root, version}`` as JSON on
    stdin, print ``{problems, slow}`` as JSON on stdout."""
    import json
    import signal
    import sys

    def out_of_time(signum: int, frame: Any) -> None:
        raise _OutOfTime

    signal.signal(signal.SIGPROF, out_of_time)
    timed = _TimedRe(PATTERN_SECONDS)
    import jsonschema._keywords
    import jsonschema._legacy_keywords
    import openapi_schema_validator._regex

    for mod in (jsonschema._keywords, jsonschema._legacy_keywords, openapi_schema_validator._regex):
        setattr(mod, "re", timed)  # noqa: B010  (the modules' own ``re``, for this process only)
    d = json.loads(sys.stdin.buffer.read())
    problems = _validate_here(d["root"], d["version"])
    slow = set(timed.slow)
    # a pattern answered "no match" for want of time says nothing about the value
    kept = [p for p in problems if not any(repr(s) in p.message for s in slow)]
    print(json.dumps({"problems": [[p.message, list(p.keys)] for p in kept], "slow": timed.slow}))


def _dumps(value: Any) -> bytes:
    try:
        import orjson

        return bytes(orjson.dumps(value))
    except (ImportError, TypeError):  # orjson refuses integers past 64 bits
        import json

        return json.dumps(value).encode("utf-8")


def _pattern_keys(root: Any, pattern: str) -> tuple[Key, ...]:
    """Where ``pattern`` is written in the document (its first ``pattern:`` key), or ()."""
    stack: list[tuple[Any, tuple[Key, ...]]] = [(root, ())]
    while stack:
        cur, ks = stack.pop()
        if isinstance(cur, dict):
            if cur.get("pattern") == pattern:
                return (*ks, "pattern")
            pp = cur.get("patternProperties")
            if isinstance(pp, dict) and pattern in pp:
                return (*ks, "patternProperties", pattern)
            stack.extend((v, (*ks, k)) for k, v in cur.items() if isinstance(v, (dict, list)))
        elif isinstance(cur, list):
            stack.extend((v, (*ks, i)) for i, v in enumerate(cur) if isinstance(v, (dict, list)))
    return ()


def _validate_in_child(root: dict[str, Any], version: str, seconds: float) -> list[Problem]:
    """The validators match ``pattern``s with Python's ``re``, which backtracks (``^(a+)+$``
    against forty ``a`` and a ``!`` never returns): a document holding patterns is validated in a
    child process where each match may take ``seconds`` of CPU time and the whole validation
    :data:`CHILD_CPU_SECONDS` (``RLIMIT_CPU``). Time is CPU time, never the wall clock: a loaded
    machine slows the child, it does not make its input guilty."""
    import json
    import resource
    import signal
    import subprocess
    import sys

    budget = max(1, int(CHILD_CPU_SECONDS))

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (budget, budget + 5))

    env = dict(os.environ, PRODGATE_OPENAPI_SECONDS=str(seconds))
    code = "from gate.sources.openapi.document import _child_main\n_child_main()"
    # the wall clock only guards against a child that never gets the CPU (its own limit is CPU)
    wall = max(600.0, 20 * budget)
    try:
        r = subprocess.run([sys.executable, "-c", code], input=_dumps({"root": root, "version": version}),
                           capture_output=True, timeout=wall, check=False, env=env, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        return [Problem(f"the OpenAPI validator did not finish within {wall:g} s of wall-clock time while "
                        "using less CPU than its limit: the machine is overloaded, not the document at "
                        "fault; re-run the gate")]
    if r.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return [Problem(f"validating the document used more than {budget} s of CPU time (no single pattern "
                        "at fault): split the description, or raise PRODGATE_OPENAPI_CPU_SECONDS")]
    try:
        found = json.loads(r.stdout)
        out = [Problem(str(m), tuple(k)) for m, k in found["problems"]]
        slow = list(dict.fromkeys(str(s) for s in found["slow"]))
    except (ValueError, TypeError, KeyError):
        err = r.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"]
        return [Problem(f"the OpenAPI validator failed on this document ({err[-1][:200]})")]
    for pat in slow:
        out.append(_slow_pattern(root, pat, seconds))
    return out


def validate_document(root: Any) -> list[Problem]:
    """Problems of ``root`` as an OpenAPI 3.0/3.1 document; empty when valid.

    The verdict is openapi-spec-validator's (``validate`` raising or not) for every document
    whose ``$ref``s stay within it; references that leave the document are reported instead of
    being fetched.
    """
    if not isinstance(root, dict):
        return [Problem("not an OpenAPI document (not a mapping of keys)")]
    version = root.get("openapi")
    if "swagger" in root and version is None:
        return [Problem("Swagger 2.0 is not supported: convert the description to OpenAPI 3.0 or 3.1", ("swagger",))]
    if not isinstance(version, str) or not re.match(r"^3\.[01]\.\d+", version):
        return [Problem(f"openapi: {version!r} is not an OpenAPI 3.0.x or 3.1.x version: write e.g. "
                        "`openapi: 3.1.0`", ("openapi",) if version is not None else ())]
    refs, marked = _survey(root)
    bad_refs = ref_problems(root, refs)
    if bad_refs:
        return bad_refs
    rust = _rust_validator(version)
    # the validators walk an exploding expansion exponentially: prodgate's own walk, then a refusal
    if rust is not None and expansion_problem(root, marked=marked) is None:
        return _validate_rust(rust, root, recheck_patterns=True)
    risky = _matches_patterns(root)
    if not risky:
        return _validate_here(root, version)
    from gate.sources.openapi.fast import certainly_valid

    if certainly_valid(root, version, match_patterns=False):  # matches none of its patterns
        return []
    return _validate_in_child(root, version, PATTERN_SECONDS)


def _validate_here(root: dict[str, Any], version: str) -> list[Problem]:
    from gate.sources.openapi.fast import certainly_valid

    if certainly_valid(root, version):  # the same checks on plain data: no error to report
        return []
    blowup = expansion_problem(root)
    if blowup is not None:  # the reference would walk it exponentially (or for ever)
        return [blowup]
    rust = _rust_validator(version)
    if rust is not None:  # the errors, from the Rust port (its regexes do not backtrack for ever)
        return _validate_rust(rust, root)
    from jsonschema_path import SchemaPath
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    cls = _locating(OpenAPIV30SpecValidator if version.startswith("3.0") else OpenAPIV31SpecValidator, root)
    # no resolver handlers: nothing outside the document is ever fetched
    spec = SchemaPath.from_dict(root, base_uri="", handlers={})
    out: list[Problem] = []
    try:
        for err in cls(spec).iter_errors():
            keys = getattr(err, "prodgate_keys", None) or _path_keys(err)
            message = str(getattr(err, "message", err)).split("\n", 1)[0].strip()
            out.append(Problem(message, keys))
            if len(out) >= 50:
                break
    except Exception as exc:  # the validator raises on what it cannot resolve
        first = str(exc).split("\n", 1)[0].strip() or type(exc).__name__
        out.append(Problem(f"openapi-spec-validator rejects the document: {first[:300]}"))
    return out


def _rust_validator(version: str) -> Any:
    """openapi-spec-validator-rs's validator class for ``version`` (a Rust port of the reference:
    the same errors, in a fraction of the time), or None when it is not installed or when
    ``PRODGATE_OPENAPI_VALIDATOR=python`` asks for the reference itself."""
    if os.environ.get("PRODGATE_OPENAPI_VALIDATOR", "").strip().lower() == "python":
        return None
    try:
        import openapi_spec_validator_rs as rs
    except ImportError:
        return None
    return rs.OpenAPIV30SpecValidator if version.startswith("3.0") else rs.OpenAPIV31SpecValidator


def _matches_patterns(root: dict[str, Any]) -> bool:
    """Whether validating ``root`` matches one of its own ``pattern``s against a value: some
    ``default`` sits in a schema that holds, or references one that holds, a ``pattern`` or
    ``patternProperties``. Such a document is validated under a CPU-time limit, in Python (see
    :func:`_validate_in_child`); every schema is looked at once."""
    if not _has_pattern(root):
        return False
    seen: set[int] = set()
    for node, _ in _mappings(root):
        if "default" not in node:
            continue
        stack: list[Any] = [node]
        while stack:
            cur = stack.pop()
            if isinstance(cur, dict):
                if id(cur) in seen:
                    continue
                seen.add(id(cur))
                if "pattern" in cur or "patternProperties" in cur:
                    return True
                ref = cur.get("$ref")
                if isinstance(ref, str):
                    stack.append(resolve(root, ref))
                stack.extend(v for k, v in cur.items() if isinstance(v, (dict, list)) and k not in _DATA_KEYS)
            elif isinstance(cur, list):
                stack.extend(v for v in cur if isinstance(v, (dict, list)))
    return False


def _validate_rust(cls: Any, root: dict[str, Any], recheck_patterns: bool = False) -> list[Problem]:
    """Every error openapi-spec-validator-rs finds (at most 50), each located in the document
    (:func:`_locate`).

    With ``recheck_patterns``, a value it says does not match a ``pattern`` is matched again with
    Python's ``re`` (the reference's), in a child process under a CPU-time limit per match: the
    error stands only when ``re`` agrees; a pattern ``re`` cannot answer in time is named as the
    fault instead."""
    found: list[Any] = []
    try:
        # base URI "" and only local references (checked before): nothing is ever fetched
        for err in cls(root, base_uri="").iter_errors():
            found.append(err)
            if len(found) >= 50:
                break
    except Exception as exc:  # the validator stops on what it cannot resolve (a loop, depth)
        first = str(exc).split("\n", 1)[0].strip() or type(exc).__name__
        return [Problem(f"openapi-spec-validator rejects the document: {first[:300]}")]
    slow: list[str] = []
    if recheck_patterns:
        pairs = [(i, e.validator_value, e.instance) for i, e in enumerate(found)
                 if getattr(e, "validator", None) == "pattern" and isinstance(getattr(e, "instance", None), str)
                 and isinstance(getattr(e, "validator_value", None), str)]
        if pairs:
            answers = _python_search([(pat, value) for _, pat, value in pairs])
            drop = set()
            for (i, pat, _), answer in zip(pairs, answers, strict=True):
                if answer is not False:  # it matches after all, or ``re`` cannot tell in time
                    drop.add(i)
                if answer is None and pat not in slow:
                    slow.append(pat)
            found = [e for i, e in enumerate(found) if i not in drop]
    out = _locate(root, found)
    for pat in slow:
        out.append(_slow_pattern(root, pat, PATTERN_SECONDS))
    return out


def _python_search(pairs: list[tuple[str, str]]) -> list[bool | None]:
    """``re.search(pattern, value)`` for each pair, in a child process where each may take
    :data:`PATTERN_SECONDS` of CPU time (None: it did not finish)."""
    import json
    import resource
    import subprocess
    import sys

    budget = int(min(CHILD_CPU_SECONDS, PATTERN_SECONDS * len(pairs) + 5)) + 1

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (budget, budget + 5))

    code = "from gate.sources.openapi.document import _search_main\n_search_main()"
    try:
        r = subprocess.run([sys.executable, "-c", code], input=json.dumps(pairs).encode("utf-8"),
                           capture_output=True, timeout=max(600.0, 20 * budget), check=False, preexec_fn=limit,
                           env=dict(os.environ, PRODGATE_OPENAPI_SECONDS=str(PATTERN_SECONDS)))
        answers = json.loads(r.stdout)
        if isinstance(answers, list) and len(answers) == len(pairs):
            return [a if isinstance(a, bool) else None for a in answers]
    except (subprocess.TimeoutExpired, ValueError):
        pass
    return [False] * len(pairs)  # no second opinion: the validator's errors stand


def _search_main() -> None:
    """The child of :func:`_python_search`: pairs as JSON on stdin, answers as JSON on stdout."""
    import json
    import signal
    import sys

    def out_of_time(signum: int, frame: Any) -> None:
        raise _OutOfTime

    signal.signal(signal.SIGPROF, out_of_time)
    timed = _TimedRe(PATTERN_SECONDS)
    answers: list[bool | None] = []
    for pattern, value in json.loads(sys.stdin.buffer.read()):
        try:
            found = timed.search(pattern, value)
        except re.error:
            found = None
        answers.append(None if pattern in timed.slow else found is not None)
    print(json.dumps(answers))


def _slow_pattern(root: Any, pattern: str, seconds: float) -> Problem:
    return Problem(f"the pattern {pattern!r} took more than {seconds:g} s of CPU time to match one value of the "
                   "document: it backtracks exponentially (nested repetition such as `(a+)+`); rewrite it",
                   _pattern_keys(root, pattern))


_OPERATION_ID = re.compile(r"^Operation ID '.*' for '(\w+)' in '(.*)' is not unique$")
_UNRESOLVED_PARAM = re.compile(r"^Path parameter '.*' for '(\w+)' operation in '(.*)' was not resolved$")
_EXTRA = re.compile(r"^Required list has not defined properties: \[(.*)\]$")


def _locate(root: dict[str, Any], errors: list[Any]) -> list[Problem]:
    """Where each error is in the document. A whole-document error carries its document path; a
    schema's own errors (its keywords against the metaschema, its ``default`` against it) carry
    a path relative to the schema or the value: the schema is the first one, in document order,
    where that path leads to the offending value. Errors of the keyword checks are located by
    what their messages name (the operation, the ``required`` list)."""
    nodes: list[tuple[dict[str, Any], tuple[Key, ...]]] | None = None
    claimed: set[tuple[tuple[Key, ...], str]] = set()
    places: dict[tuple[Any, ...], _Places] = {}
    out: list[Problem] = []
    for err in errors:
        message = str(getattr(err, "message", err)).split("\n", 1)[0].strip()
        rel = _path_keys(err)
        keys: tuple[Key, ...] = rel
        m = _OPERATION_ID.match(message) or _UNRESOLVED_PARAM.match(message)
        dup = _DUPLICATE_PARAM.match(message)
        instance = getattr(err, "instance", _MISSING)
        if type(instance).__name__ == "_Unset":  # no details: a schema that is no schema names it
            instance = _named_value(message)
        if m:
            keys = ("paths", m.group(2), m.group(1)) + (("operationId",) if "is not unique" in message else ())
        elif dup:
            if nodes is None:
                nodes = list(_mappings(root))
            keys = next((at for node, at in nodes if (at, message) not in claimed
                         and _repeats_parameter(root, node.get("parameters"), dup.group(1))), ())
            claimed.add((keys, message))
        elif (extra := _EXTRA.match(message)) or not _at(root, rel, instance):
            if nodes is None:
                nodes = list(_mappings(root))
            names = re.findall(r"'((?:[^'\\]|\\.)*)'", extra.group(1)) if extra else []
            # the same error reported again (a schema reached through several $refs) takes the
            # next place: the places of one (path, message, value) are enumerated once
            memo = (rel, message, extra is not None, repr(names) if extra else "" if instance is _MISSING else repr(instance))
            found = places.get(memo)
            if found is None:
                found = places[memo] = _Places(_places(root, nodes, rel, instance, names if extra else None))
            where = found.first(message, None if extra else claimed)
            if where is not None:
                keys = where
                claimed.add((where, message))
        out.append(Problem(message, keys))
    return out


class _Places:
    """The places of one error, enumerated as far as asked, in order."""

    def __init__(self, found: Iterator[tuple[Key, ...]]) -> None:
        self.found = found
        self.seen: list[tuple[Key, ...]] = []

    def first(self, message: str, claimed: set[tuple[tuple[Key, ...], str]] | None) -> tuple[Key, ...] | None:
        """The first place not yet ``claimed`` for ``message`` (the first place, without ``claimed``)."""
        for w in self.seen:
            if claimed is None or (w, message) not in claimed:
                return w
        for w in self.found:
            self.seen.append(w)
            if claimed is None or (w, message) not in claimed:
                return w
        return None


def _places(root: Any, nodes: list[tuple[dict[str, Any], tuple[Key, ...]]], rel: tuple[Key, ...], instance: Any,
            required: list[str] | None) -> Iterator[tuple[Key, ...]]:
    """Where a schema's own error may be, best first (see :func:`_locate`)."""
    if required is not None:  # an ``allOf`` schema requiring names no member defines
        for node, at in nodes:
            req = node.get("required")
            if "allOf" in node and isinstance(req, list) and set(required) <= set(map(str, req)):
                yield (*at, "required")
        return
    # the schema's keyword, or its default's value: only nodes holding the first key are looked at
    # (with no path, the schema itself is the value only when the value is a mapping)
    firsts = {rel[0], "default"} if rel else {"default"}
    order: Iterable[int] = range(len(nodes))
    if rel or not (instance is _MISSING or isinstance(instance, dict)):
        order = sorted({i for k in firsts for i in _holding(nodes, k)})
    for i in order:
        node, at = nodes[i]
        for sub in (rel, ("default", *rel)):
            if sub and sub[0] not in node:
                continue
            if _at(node, sub, instance):
                yield (*at, *sub)
    if not rel:  # a schema that is no schema (``true``, ``5``), in a place that takes a schema
        for node, at in nodes:
            schemas_map = bool(at) and at[-1] in ("schemas", "properties", "patternProperties", "$defs")
            for k, v in node.items():
                slots = [(*at, k, i) for i in range(len(v))] if k in _SCHEMA_LISTS and isinstance(v, list) else (
                    [(*at, k)] if schemas_map or k in _SCHEMA_SLOTS else [])
                for w in slots:
                    if not isinstance(instance, dict) and _at(node, w[len(at):], instance):
                        yield w


_KEYED: dict[int, tuple[list[Any], dict[Any, list[int]]]] = {}


def _holding(nodes: list[tuple[dict[str, Any], tuple[Key, ...]]], key: Any) -> list[int]:
    """Which of ``nodes`` (by index, in order) hold ``key``, computed once per list and key."""
    cached = _KEYED.get(id(nodes))
    if cached is None or cached[0] is not nodes:
        _KEYED.clear()
        cached = _KEYED[id(nodes)] = (nodes, {})
    found = cached[1].get(key)
    if found is None:
        found = cached[1][key] = [i for i, (node, _) in enumerate(nodes) if key in node]
    return found


def _named_value(message: str) -> Any:
    """The value an ``X is not of type 'object', 'boolean'`` message names (or unknown)."""
    import ast

    head, sep, _ = message.rpartition(" is not of type 'object', 'boolean'")
    if not sep or len(head) > 10_000:
        return _MISSING
    try:
        return ast.literal_eval(head)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return _MISSING


_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
_SCHEMA_SLOTS = frozenset({"schema", "items", "not", "additionalProperties", "additionalItems", "contains",
                           "propertyNames", "if", "then", "else", "unevaluatedProperties", "unevaluatedItems"})
_MISSING = object()
_DUPLICATE_PARAM = re.compile(r"^Duplicate parameter '(.*)'$")


def _repeats_parameter(root: Any, params: Any, name: str) -> bool:
    """``params`` (a ``parameters`` list) declares ``name`` twice in the same place."""
    if not isinstance(params, list):
        return False
    seen = Counter((p.get("name"), p.get("in")) for p in (deref(root, p) for p in params) if isinstance(p, dict))
    return any(n == name and c > 1 for (n, _), c in seen.items())


def _at(root: Any, keys: tuple[Key, ...], value: Any) -> bool:
    """``keys`` lead to ``value`` in ``root`` (to anything, when ``value`` is unknown)."""
    cur = root
    for k in keys:
        if isinstance(cur, list) and isinstance(k, int) and 0 <= k < len(cur):
            cur = cur[k]
            continue
        if not (isinstance(cur, dict) and k in cur):
            return False
        cur = cur[k]
    if value is _MISSING:
        return True
    try:
        return bool(cur == value) and type(cur) is type(value)
    except Exception:
        return False


def _path_keys(err: Any) -> tuple[Key, ...]:
    return tuple(k for k in getattr(err, "absolute_path", ()) if isinstance(k, (str, int)))


def _locating(spec_cls: Any, root: dict[str, Any]) -> Any:
    """``spec_cls`` (an openapi-spec-validator class) whose errors know where they are in the
    document: a schema's keyword checks report paths relative to the schema (``required``), a
    ``default``'s relative to the value. Each keyword validator here tags what it yields with the
    document path of the node it was given (the innermost one wins: a schema's own), so an error
    inside ``components.schemas.Run`` is located at ``components.schemas.Run.required``."""
    from jsonschema_path import SchemaPath
    from openapi_spec_validator.validation import exceptions as osv_exc
    from openapi_spec_validator.validation.keywords import ValueValidator

    where: dict[int, tuple[Key, ...]] = {}

    def index() -> dict[int, tuple[Key, ...]]:
        if not where:
            for node, keys in _mappings(root):
                where.setdefault(id(node), keys)
        return where

    def locating(kv_cls: Any) -> Any:
        is_value = issubclass(kv_cls, ValueValidator)

        def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            node = next((a for a in args if isinstance(a, SchemaPath)), None)
            for err in kv_cls.__call__(self, *args, **kwargs):
                if node is not None and getattr(err, "prodgate_keys", None) is None:
                    if not isinstance(err, osv_exc.OpenAPIValidationError):
                        err = osv_exc.OpenAPIValidationError.create_from(err)
                    base = index().get(id(node.read_value()))
                    if base is not None:
                        if is_value:
                            rel: tuple[Key, ...] = ("default", *_path_keys(err))
                        elif isinstance(err, osv_exc.ExtraParametersError):
                            rel = ("required",)
                        elif isinstance(err, osv_exc.DuplicateOperationIDError):
                            rel = ("operationId",)
                        else:
                            rel = _path_keys(err)
                        err.prodgate_keys = (*base, *rel)
                yield err

        return type(kv_cls.__name__, (kv_cls,), {"__call__": __call__})

    kws = {name: locating(kv) for name, kv in spec_cls.keyword_validators.items()}
    return type(spec_cls.__name__, (spec_cls,), {"keyword_validators": kws})


def validity(ws: Workspace, path: str) -> list[Finding]:
    """The document's validity problems as findings at their lines (cached per run)."""

    def make() -> list[Finding]:
        doc = document(ws, path)
        if doc is None:
            return []
        out = []
        for p in validate_document(doc.data):
            where = ".".join(str(k) for k in p.keys)
            msg = f"invalid OpenAPI at {where}: {p.message}" if where else f"invalid OpenAPI: {p.message}"
            line = doc.line(p.keys)
            out.append(Finding(msg, path, line, line))
        return out

    return ws.derive("openapi.validity", path, make)
