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
