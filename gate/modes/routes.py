"""``prodgate routes [PATH...] [--format text|json]``: each service's route table as the gate sees
it — method, full path, where the route is registered, the middleware chain applied to it (its
own arguments, then the ``use`` patterns that cover it, in Hono's order) and its scope verdict —
with the places where the analysis lost a router's or a path's trail. So a user can see why a
route item passed or failed.

Exit code 0, or 1 when a service's route table is incomplete (a trail lost, a file that does not
parse): the route items fail on those.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from gate.model import Finding
from gate.render.common import one_line

if TYPE_CHECKING:  # imported where used: building the command line must not load the analysis
    from gate.sources.ts import code as cm
def add_parser(sub: Any) -> None:
    """The ``routes`` sub-command's arguments."""
    p = sub.add_parser("routes", help="print each service's route table as the gate sees it")
    p.add_argument("paths", nargs="*", metavar="PATH", help="repository, services folder or service folders")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--config", metavar="FILE", help="configuration file (default: .github/prod-readiness.yml)")
    p.add_argument("--repo", metavar="DIR", help="repository root (default: found from PATH or the current directory)")


def _arg(v: Any) -> Any:
    from gate.sources.ts import parse as ts
    if isinstance(v, ts.Unknown):
        return {"unknown": v.why}
    if isinstance(v, list):
        return [_arg(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _arg(x) for k, x in v.items()}
    return v


def _finding(f: Finding) -> dict[str, Any]:
    return {"path": f.path, "line": f.line, "message": f.message}


def service_routes(m: cm.CodeModel, require_scope: str) -> dict[str, Any]:
    """One service's table as data (the JSON output)."""
    from gate.sources.ts.routes.paths import pattern_matches

    public = {v for v, _ in m.public_paths.entries} if m.public_paths else set()
    routes = []
    for r in m.routes:
        mids = [{"name": mw.name, "args": [_arg(a) for a in mw.args], "file": mw.path, "line": mw.line,
                 "via": mw.via} for mw in r.middleware]
        scopes = [mw.args[0] if mw.args and isinstance(mw.args[0], str) else None for mw in r.uses(require_scope)]
        is_public = r.path in public or any("*" in p and pattern_matches(p, r.path) for p in public)
        routes.append({"method": r.method, "path": r.path, "file": r.file, "line": r.line, "middleware": mids,
                       "scopes": scopes, "public": is_public})
    return {"dir": m.service_dir, "routes": routes, "problems": [_finding(f) for f in m.route_problems],
            "errors": [_finding(f) for f in m.errors]}


def _text(name: str, data: dict[str, Any]) -> list[str]:
    """Every line starts with a fixed word or sign (never with repository text), so that no
    line can read as a workflow command, whatever a path or a name holds."""
    out = [f"service {one_line(name)}  ({one_line(data['dir'])}: {len(data['routes'])} route{'' if len(data['routes']) == 1 else 's'})"]
    for r in data["routes"]:
        chain = " > ".join(f"{m['name']}({', '.join(json.dumps(a) for a in m['args'])})"
                           + ("" if m["via"] == "route" else f" [use {m['via']}]") for m in r["middleware"])
        if r["public"]:
            scope = "public (publicPaths)"
        elif not r["scopes"]:
            scope = "NO SCOPE"
        else:
            scope = ", ".join(s if s is not None else "(not a literal)" for s in r["scopes"])
        out.append(f"  {r['method']:<7} {one_line(r['path'])}")
        out.append(f"          at {one_line(r['file'])}:{r['line']}")
        out.append(f"          middleware: {one_line(chain) if chain else '(none)'}")
        out.append(f"          scope: {one_line(scope)}")
    for key, label in (("problems", "route table incomplete"), ("errors", "not parsed")):
        for f in data[key]:
            out.append(f"  ! {label}: {one_line(f['path'])}:{f['line']}  {one_line(f['message'])}")
    return out


def run_routes(args: argparse.Namespace) -> int:
    from gate.options import load_config, make_workspace, repo_root, select
    from gate.services import discover
    from gate.sources.ts import code as cm
    from gate.workspace import Workspace

    root = repo_root(args.paths, args.repo)
    config = load_config(Workspace(root), args.config)
    ws = make_workspace(root, config)
    services = select(discover(ws, config.path("services")), root, args.paths)
    rs = config.helper("require_scope")
    result: dict[str, Any] = {}
    for s in services:
        with cm.paused_gc():
            result[s.name] = service_routes(cm.analyse(ws, config, s.dir), rs)
    if args.format == "json":
        print(json.dumps({"services": result}, indent=2))
    else:
        lines: list[str] = []
        for name, data in result.items():
            lines.extend(_text(name, data))
        print("\n".join(lines) if lines else "no service found")
    return 1 if any(d["problems"] or d["errors"] for d in result.values()) else 0
