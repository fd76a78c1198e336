"""The package's layers point down only, and no module imports itself back through others.

Each module of ``gate/`` belongs to one layer (the longest prefix below names it); an import —
at the top of a module, inside a function, or for type checking only — may point to the same
layer or a lower one, never a higher one, and the import graph has no circle. ``docs/development.md``
draws these layers and walks one run through them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

GATE = Path(__file__).resolve().parent.parent / "gate"

#: top to bottom; a module belongs to the layer of the longest prefix that names it
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("command line", ("gate.__main__", "gate.cli")),
    ("modes", ("gate.modes",)),
    ("options and outputs", ("gate.options", "gate.render", "gate.site", "gate.github")),
    ("engine", ("gate.engine", "gate.baseline", "gate.inputs")),
    ("checks", ("gate.checks",)),
    ("what a check is given", ("gate.context", "gate.countersign", "gate.readiness", "gate.providers")),
    ("analyses", ("gate.sources",)),
    ("workspace and configuration", ("gate.workspace", "gate.config", "gate.freeze", "gate.services", "gate.gitrepo")),
    ("parsers", ("gate.sources.yaml.parse", "gate.sources.markdown.parse", "gate.sources.sql.parse",
                 "gate.sources.ts.parse")),
    ("model", ("gate", "gate.budget", "gate.schemas", "gate.model", "gate.catalog", "gate.validity", "gate.verdict", "gate.safeio",
               "gate.github.evidence", "gate.github.reviews")),
)


def modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for p in sorted(GATE.rglob("*.py")):
        parts = p.relative_to(GATE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = p
    return out


def layer_of(module: str) -> int:
    best, index = -1, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            # the package itself (its version) is its own entry, not a prefix of every module
            inside = module.startswith(prefix + ".") and prefix != "gate"
            if (module == prefix or inside) and len(prefix) > best:
                best, index = len(prefix), i
    return index


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """The ``gate`` modules ``name`` imports, with the line of each import."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known]
            for t in names or [target]:
                if t in known and t != name:
                    yield t, node.lineno
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name in known and a.name != name:
                    yield a.name, node.lineno


def graph() -> dict[str, dict[str, int]]:
    known = modules()
    return {name: dict(imports(name, path, known)) for name, path in known.items()}


def test_every_module_has_a_layer() -> None:
    assert [m for m in modules() if layer_of(m) < 0] == []


def test_no_import_points_up() -> None:
    up = [
        f"{a} ({LAYERS[layer_of(a)][0]}) imports {b} ({LAYERS[layer_of(b)][0]}) at line {line}"
        for a, targets in graph().items() for b, line in targets.items()
        if layer_of(b) < layer_of(a) and b != "gate"
    ]
    assert up == []


def test_no_circle() -> None:
    g = {a: set(bs) - {"gate"} for a, bs in graph().items()}
    # Tarjan's strongly connected components, iteratively
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    circles: list[list[str]] = []
    counter = 0
    for root in g:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(g[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(g.get(w, ())))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        circles.append(sorted(comp))
    assert circles == []
