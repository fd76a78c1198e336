"""TypeScript imports: which file of a service an import names, and which modules a file calls.

The one resolver of the package (the code analysis, the route table, helper provenance and the
values followed across files all ask it): a relative specifier (``./x``, ``./x.js``,
``./x/index``, a ``.d.ts``, a JavaScript file) and a path alias of the service's
``tsconfig.json`` (``compilerOptions.paths`` from ``baseUrl``: ``"@/*": ["./src/*"]``) lead to a
file of the service; a package, or a path outside the service, leads to none (the route items
then fail at the line: fail closed; and an import of a file that exists outside the service's
folder is a finding of the code analysis that fails every code item — that code would be neither
judged nor re-judged when a pull request changes it). The statements themselves are read by
:func:`gate.sources.ts.parse.import_names` and :func:`gate.sources.ts.parse.module_specifiers`.

A specifier names the file TypeScript's own resolution picks (``moduleResolution: "bundler"``,
the platform's, with ``allowJs``), so that a stand-in added beside the real file is never read
in its place: the candidates are tried in TypeScript's order and the first that exists wins.
For ``./x`` (or ``./x.js``, ``./x.ts``, ``./x.d.ts``): ``x.ts``, ``x.tsx``, ``x.d.ts``, ``x.js``,
``x.jsx``; for ``./x.jsx``/``./x.tsx``: ``x.tsx``, ``x.ts``, ``x.d.ts``, ``x.jsx``, ``x.js``; for
``./x.mjs``/``./x.mts``: ``x.mts``, ``x.d.mts``, ``x.mjs`` (``.cjs``/``.cts`` alike); then the name
with an extension added (``./x.service`` is ``x.service.ts``...); then the folder ``x/``: the file
its ``package.json`` names (``typings``, ``types``, then ``main``), else ``x/index.ts``,
``x/index.tsx``, ``x/index.d.ts``, ``x/index.js``, ``x/index.jsx``. A specifier ending in ``/``
(or ``.``, ``..``) is a folder only. What TypeScript would not resolve (``./x`` with only an
``x.mjs``) names no file. When compilers disagree (esbuild bundles ``x.js`` for ``./x.js`` when
both ``x.js`` and ``x.ts`` exist, TypeScript checks ``x.ts``; ``moduleResolution: "node10"`` tries
``x/index.ts`` before ``x.js``), the gate reads what TypeScript picks under ``bundler`` — except
that a declaration file is read only when no code file is found — and the code analysis reports
an import whose TypeScript pick is not the file esbuild ships (``resolver(..., bundler=True)``,
:func:`bundled_candidates`): every code item fails there, since which code runs is unknown.

:func:`uses` answers "does this file import X and call it?" (``sdk.consumer``): value imports,
bindings made from them (``const c = new Client(...)``, ``const c = createClient(...)``,
``await`` allowed), and calls whose callee starts at such a binding (``sdk.x()``,
``c.payments.get()``, ``createPayment()``). Shadowing is not tracked.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from typing import Any

from tree_sitter import Node

from gate.sources.ts.parse import TsFile, import_names, line_of, string_value, walk
from gate.workspace import SourceProblem, Workspace

#: (importer, specifier) -> the file it names, None when it names none of the service's files
ModuleFile = Callable[[str, str], str | None]
#: ``(pattern, [target, ...])`` of a ``tsconfig.json``'s ``compilerOptions.paths``
Aliases = list[tuple[str, list[str]]]

#: what an import may name: TypeScript, JavaScript, declaration files
IMPORTABLE = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx", ".d.ts")
#: the extensions TypeScript tries for an extension an import writes, in its order (its
#: ``tryAddingExtensions``); "" is no extension. Longest first, so ``.d.ts`` is found before ``.ts``.
_TRIED: dict[str, tuple[str, ...]] = {
    ".d.mts": (".mts", ".d.mts", ".mjs"), ".mts": (".mts", ".d.mts", ".mjs"), ".mjs": (".mts", ".d.mts", ".mjs"),
    ".d.cts": (".cts", ".d.cts", ".cjs"), ".cts": (".cts", ".d.cts", ".cjs"), ".cjs": (".cts", ".d.cts", ".cjs"),
    ".d.ts": (".ts", ".tsx", ".d.ts", ".js", ".jsx"),
    ".tsx": (".tsx", ".ts", ".d.ts", ".jsx", ".js"), ".jsx": (".tsx", ".ts", ".d.ts", ".jsx", ".js"),
    ".ts": (".ts", ".tsx", ".d.ts", ".js", ".jsx"), ".js": (".ts", ".tsx", ".d.ts", ".js", ".jsx"),
    "": (".ts", ".tsx", ".d.ts", ".js", ".jsx"),
}
#: the fields of a folder's package.json that name its file, in TypeScript's order
_PACKAGE_FIELDS = ("typings", "types", "main")
#: files added because production code imports them, at most (a bound on hostile trees); past
#: it the import not followed is a finding that fails every code item (:mod:`gate.sources.ts.code`)
MAX_REACHED = 5_000

_COMMENTS = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING = re.compile(r",(\s*[}\]])")


def _jsonc(text: str) -> Any:
    """tsconfig.json is JSON with comments and trailing commas."""
    bare = _COMMENTS.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
    return json.loads(_TRAILING.sub(r"\1", bare))


def aliases(ws: Workspace, service_dir: str) -> Aliases:
    """The path aliases of the service's ``tsconfig.json``, targets as repository paths; empty
    when there is none or it cannot be read."""
    try:
        text = ws.text(f"{service_dir}/tsconfig.json")
    except SourceProblem:
        return []
    if not text:
        return []
    try:
        data = _jsonc(text)
    except (ValueError, RecursionError):
        return []
    opts = data.get("compilerOptions") if isinstance(data, dict) else None
    if not isinstance(opts, dict) or not isinstance(opts.get("paths"), dict):
        return []
    paths: dict[Any, Any] = opts["paths"]
    base = opts.get("baseUrl", ".")
    base = base if isinstance(base, str) else "."
    root = posixpath.normpath(posixpath.join(service_dir, base))
    out: Aliases = []
    for pattern, targets in paths.items():
        if isinstance(pattern, str) and isinstance(targets, list):
            out.append((pattern, [posixpath.normpath(posixpath.join(root, t)) for t in targets if isinstance(t, str)]))
    return out


def _replaced(base: str) -> Iterator[str]:
    """The files an extension ``base`` writes stands for (``x.js`` → ``x.ts``, ``x.tsx``...)."""
    for written, tried in _TRIED.items():
        if written and base.endswith(written) and len(base) > len(written):
            stem = base[: -len(written)]
            yield from (stem + e for e in tried)
            return


def candidates(base: str, folder_only: bool = False,
               package: Callable[[str], list[str]] | None = None) -> Iterator[str]:
    """The files ``base`` (a repository path, as written after the folder it is relative to) may
    name, in TypeScript's order (see the module docstring). ``package(folder)`` gives the paths
    a folder's package.json names, in order."""
    if not folder_only:
        yield from _replaced(base)
        yield from (base + e for e in _TRIED[""])
    for target in package(base) if package is not None else ():
        # a TypeScript file named there is taken as it is; another is the file its extension
        # stands for, else the folder's index
        if target.endswith((".ts", ".tsx", ".mts", ".cts")):
            yield target
        else:
            yield from _replaced(target)
        yield from (f"{target}/index{e}" for e in _TRIED[""])
    yield from (f"{base}/index{e}" for e in _TRIED[""])


#: esbuild's (SST bundles each function with it): the extensions it adds (its default
#: ``resolveExtensions``, without .css/.json), and what it tries for a written JavaScript extension
#: once the file itself is not there
_ESBUILD_ADDED = (".tsx", ".ts", ".jsx", ".js")
_ESBUILD_REWRITE = {".js": (".ts", ".tsx"), ".jsx": (".ts", ".tsx"), ".mjs": (".mts",), ".cjs": (".cts",)}
_DECLARATION = (".d.ts", ".d.mts", ".d.cts")


def bundled_candidates(base: str, folder_only: bool = False,
                       package: Callable[[str], list[str]] | None = None) -> Iterator[str]:
    """The files ``base`` may name, in esbuild's order: the path itself when it names a code file,
    the path with each of its extensions added, a JavaScript extension rewritten to TypeScript's,
    then the folder (its ``package.json``'s ``main``, its ``index``). A declaration file is never
    bundled."""
    if not folder_only:
        if base.endswith(IMPORTABLE) and not base.endswith(_DECLARATION):
            yield base
        yield from (base + e for e in _ESBUILD_ADDED)
        for written, tried in _ESBUILD_REWRITE.items():
            if base.endswith(written) and len(base) > len(written):
                yield from (base[: -len(written)] + e for e in tried)
    for target in package(base) if package is not None else ():
        yield target
        yield from (target + e for e in _ESBUILD_ADDED)
        yield from (f"{target}/index{e}" for e in _ESBUILD_ADDED)
    yield from (f"{base}/index{e}" for e in _ESBUILD_ADDED)


def package_fields(read: Callable[[str], str | None],
                   names: tuple[str, ...] = _PACKAGE_FIELDS) -> Callable[[str], list[str]]:
    """For :func:`candidates`: the paths a folder's ``package.json`` names (``names``: by default
    ``typings``, ``types``, ``main``), none when it has none or it is not JSON."""

    def fields(folder: str) -> list[str]:
        try:
            text = read(f"{folder}/package.json")
        except SourceProblem:
            return []
        if not text:
            return []
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return []
        if not isinstance(data, dict):
            return []
        return [posixpath.normpath(posixpath.join(folder, v)) for k in names
                if isinstance(v := data.get(k), str) and v]

    return fields


def resolver(service_dir: str, table: Aliases, known: Container[str],
             exists: Callable[[str], bool] | None = None,
             read: Callable[[str], str | None] | None = None, bundler: bool = False,
             anywhere: bool = False) -> ModuleFile:
    """(importer, specifier) -> the file of the service it names: the first of TypeScript's
    candidates (:func:`candidates`) that is one of ``known`` (the files already listed or
    analysed) or, when ``exists`` is given, a file on disk, whatever its folder (``test/``,
    ``src/stubs/``, ``node_modules/``) or extension — a declaration file (``x.d.ts``) only when no
    code file is found: it holds types, and the code that runs is in the file beside it. ``read``
    reads a folder's ``package.json`` (without it, a folder's file is its ``index``). A path
    outside the service is not its code (None). With ``bundler``: the file esbuild bundles
    instead (:func:`bundled_candidates`), to tell where the two differ. With ``anywhere``: a file
    anywhere in the repository (to tell that an import leaves the service)."""
    package = (package_fields(read, ("main",) if bundler else _PACKAGE_FIELDS) if read is not None else None)
    order = bundled_candidates if bundler else candidates

    def inside(path: str) -> bool:
        if anywhere:
            return not (path.startswith(("/", "../")) or path == "..")
        return path.startswith(service_dir + "/")

    def relative(importer: str, spec: str) -> str | None:
        base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
        if not inside(base):
            return None
        folder_only = spec.endswith("/") or spec.rpartition("/")[2] in (".", "..")
        declaration: str | None = None
        for c in order(base, folder_only, package):
            if not inside(c):
                continue
            if c in known or (exists is not None and exists(c)):
                if not c.endswith(_DECLARATION):
                    return c
                declaration = declaration or c
        return declaration

    def resolve(importer: str, spec: str) -> str | None:
        if spec.startswith("."):
            return relative(importer, spec)
        for pattern, targets in table:
            head, star, tail = pattern.partition("*")
            if star and spec.startswith(head) and spec.endswith(tail) and len(spec) >= len(head) + len(tail):
                middle = spec[len(head): len(spec) - len(tail)]
                cands = [t.replace("*", middle, 1) for t in targets]
            elif not star and spec == pattern:
                cands = list(targets)
            else:
                continue
            for c in cands:
                # resolved like a relative import from a file in the target's folder
                found = relative(posixpath.join(posixpath.dirname(c), "_"), "./" + posixpath.basename(c))
                if found is not None:
                    return found
        return None

    return resolve


# -- "imports X and calls it" ------------------------------------------------------------------
@dataclass(frozen=True)
class ModuleUse:
    """``file`` imports ``module`` (at ``import_line``) and, when ``call_line`` is set, calls a
    member of what it imported there (``callee`` is the call's callee text)."""

    module: str
    file: str
    import_line: int
    call_line: int | None = None
    callee: str | None = None


def _import_bindings(f: TsFile) -> tuple[dict[str, str], dict[str, int]]:
    """Local name → module for value imports; module → line of its first import."""
    names: dict[str, str] = {}
    lines: dict[str, int] = {}
    for stmt in f.root.named_children:
        if stmt.type != "import_statement":
            continue
        src = stmt.child_by_field_name("source")
        module = string_value(f, src) if src is not None else None
        if module is None:
            continue
        if any(c.type == "type" for c in stmt.children):  # import type { X } from ...
            continue
        lines.setdefault(module, line_of(stmt))
        for n in import_names(f, stmt):
            if not n.type_only:
                names[n.binding] = module
    return names, lines


def _root_ident(f: TsFile, node: Node | None) -> str | None:
    while node is not None:
        t = node.type
        if t == "identifier":
            return f.text(node)
        if t == "member_expression":
            node = node.child_by_field_name("object")
        elif t == "call_expression":
            node = node.child_by_field_name("function")
        elif t == "new_expression":
            node = node.child_by_field_name("constructor")
        elif t in ("await_expression", "parenthesized_expression", "non_null_expression", "as_expression"):
            node = node.named_children[0] if node.named_children else None
        else:
            return None
    return None


def uses(f: TsFile) -> list[ModuleUse]:
    """Every module ``f`` imports by value, with the first call of what it imported (if any)."""
    names, lines = _import_bindings(f)
    if not names and not lines:
        return []
    nodes = [n for n in walk(f.root) if n.type in ("variable_declarator", "call_expression")]
    # bindings derived from imported values: const c = new Client(...) / createClient(...)
    for _ in range(3):
        grew = False
        for n in nodes:
            if n.type != "variable_declarator":
                continue
            name = n.child_by_field_name("name")
            value = n.child_by_field_name("value")
            if name is None or value is None or name.type != "identifier" or f.text(name) in names:
                continue
            inner = value
            while inner.type in ("await_expression", "parenthesized_expression") and inner.named_children:
                inner = inner.named_children[0]
            if inner.type in ("new_expression", "call_expression"):
                root = _root_ident(f, inner)
                if root is not None and root in names:
                    names[f.text(name)] = names[root]
                    grew = True
        if not grew:
            break
    first_call: dict[str, tuple[int, str]] = {}
    for n in nodes:
        if n.type != "call_expression":
            continue
        root = _root_ident(f, n.child_by_field_name("function"))
        if root is not None and root in names:
            module = names[root]
            if module not in first_call:
                fn = n.child_by_field_name("function")
                first_call[module] = (line_of(n), f.text(fn) if fn is not None else root)
    out = []
    for module, line in lines.items():
        call = first_call.get(module)
        out.append(ModuleUse(module, f.path, line, call[0] if call else None, call[1] if call else None))
    return out


def file_uses(ws: Workspace, path: str) -> list[ModuleUse]:
    """:func:`uses` of the TypeScript file at ``path`` (computed once per run; empty when the file
    is absent or has no import)."""

    def make() -> list[ModuleUse]:
        text = ws.text(path)
        if text is None or "import" not in text:
            return []
        f = ws.typescript(path)
        return uses(f) if f is not None else []

    return ws.derive("ts.imports", path, make)
