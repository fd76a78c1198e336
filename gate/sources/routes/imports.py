"""Where an import leads, for the route evaluator: relative specifiers (``./x``, ``./x.js``,
``./x/index``) as before, and the path aliases of the service's ``tsconfig.json``
(``compilerOptions.paths`` from ``baseUrl``: ``"@/*": ["./src/*"]``), which real services use for
their routers (``import { users } from "@/routes/users"``). An alias that leads to no source file
stays unresolved (the route items then fail at the line, fail closed).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gate.workspace import Workspace

_COMMENTS = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING = re.compile(r",(\s*[}\]])")


def _jsonc(text: str) -> Any:
    """tsconfig.json is JSON with comments and trailing commas."""
    bare = _COMMENTS.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
    return json.loads(_TRAILING.sub(r"\1", bare))


def aliases(ws: Workspace, service_dir: str) -> list[tuple[str, list[str]]]:
    """``(pattern, [target, ...])`` of the service's ``tsconfig.json`` paths, targets as
    repository paths; empty when there is none or it cannot be read."""
    from gate.workspace import SourceProblem

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
    out: list[tuple[str, list[str]]] = []
    for pattern, targets in paths.items():
        if isinstance(pattern, str) and isinstance(targets, list):
            out.append((pattern, [posixpath.normpath(posixpath.join(root, t)) for t in targets if isinstance(t, str)]))
    return out


def resolver(relative: Callable[[str, str], str | None],
             table: list[tuple[str, list[str]]]) -> Callable[[str, str], str | None]:
    """``relative`` (importer, specifier) -> file, extended with the aliases of ``table``."""
    if not table:
        return relative

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


#: what an import may name: TypeScript, JavaScript, declaration files
IMPORTABLE = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx", ".d.ts")
#: files added because production code imports them, at most (a bound on hostile trees)
MAX_REACHED = 5_000


def file_resolver(ws: Workspace, service_dir: str, known: set[str] | frozenset[str] = frozenset()
                  ) -> Callable[[str, str], str | None]:
    """(importer, relative specifier) -> the file of the service it names, found on disk:
    whatever its folder (``test/``, ``src/stubs/``, ``node_modules/``) or extension
    (JavaScript, ``.d.ts``). A file outside the service is not its code (None). Files in
    ``known`` (already listed) are answered without asking the file system."""

    def resolve(importer: str, spec: str) -> str | None:
        if not spec.startswith("."):
            return None
        base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
        if not base.startswith(service_dir + "/"):
            return None
        stem = base
        for ext in (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts"):
            if base.endswith(ext):
                stem = base[: -len(ext)]
                break
        cands = [base] if base.endswith(IMPORTABLE) else []
        cands += [stem + s for s in IMPORTABLE] + [f"{stem}/index{s}" for s in IMPORTABLE]
        for c in cands:
            if c in known:
                return c
        for c in cands:
            if ws.exists(c) and not ws.is_dir(c):
                return c
        return None

    return resolve


def specifiers(root: Any, text: Callable[[Any], str]) -> list[str]:
    """The module specifiers a file's top-level imports and re-exports name."""
    out: list[str] = []
    for st in root.named_children:
        if st.type in ("import_statement", "export_statement"):
            src = st.child_by_field_name("source")
            if src is not None and src.type == "string":
                out.append(text(src)[1:-1])
    return out
