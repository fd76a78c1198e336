"""``prodgate catalog [PATH] --out DIR``: evaluate every service and write the catalog.

Writes into DIR: ``catalog.json`` (:mod:`gate.site.catalog_json`), ``badges/<name>.svg`` and
``badges/<name>.json`` (:mod:`gate.site.badge`) and ``index.html`` (:mod:`gate.site.page`).
Each is a pure function of the :class:`~gate.model.Report`; this module only evaluates and
writes. A file whose content did not change is not rewritten (a docs build that watches
modification times rebuilds only what changed), every write is atomic (a reader never sees
half a file), and the badges of services that left the repository are removed.

Exit code: 0 when the catalog is written (the catalog reports readiness, it does not block),
2 on a usage or configuration error, or when no service is found (nothing is written then).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

from gate.cli import UsageError, _formats, parse_now, providers, repo_root
from gate.config import Config
from gate.context import RunInfo
from gate.engine import evaluate
from gate.model import Report
from gate.providers import start as start_live
from gate.render.common import one_line
from gate.run import load_config, make_workspace, parse_only, select, write_outputs
from gate.services import Service, discover
from gate.site import badge, catalog_json, page
from gate.site.common import BADGES_DIR, badge_file
from gate.workspace import Workspace

CATALOG_JSON = "catalog.json"
INDEX_HTML = "index.html"


class Progress:
    """A one-line progress bar with the current service, redrawn in place on a terminal."""

    def __init__(self, total: int, stream: TextIO, bar: int = 24) -> None:
        self.total = total
        self.stream = stream
        self.bar = bar
        self.current = 0

    def __call__(self, svc: Service) -> None:
        self.current += 1
        done = self.current - 1
        filled = self.bar * done // self.total if self.total else self.bar
        bar = "#" * filled + "-" * (self.bar - filled)
        line = f"prodgate catalog [{bar}] {self.current}/{self.total} {one_line(svc.name, 200)}"
        cols = shutil.get_terminal_size((80, 24)).columns
        self.stream.write("\r" + line[: max(cols - 1, 10)] + "\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def outputs(report: Report) -> dict[str, str]:
    """Every file of the catalog: path relative to the output folder → content."""
    files = {CATALOG_JSON: catalog_json.render(report), INDEX_HTML: page.render(report)}
    files.update(badge.render(report))
    return files


def _write_if_changed(path: Path, body: str) -> bool:
    """Write ``body`` atomically unless the file already holds it; True when written."""
    data = body.encode("utf-8")
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".prodgate-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _previous_names(out: Path) -> set[str]:
    """The services of the catalog already in ``out`` (none when there is no valid one)."""
    try:
        data = json.loads((out / CATALOG_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(data, dict) or data.get("schema") != catalog_json.SCHEMA:
        return set()
    services = data.get("services")
    if not isinstance(services, list):
        return set()
    return {e["name"] for e in services if isinstance(e, dict) and isinstance(e.get("name"), str)}


def _prune(out: Path, gone: set[str]) -> list[str]:
    """Remove the badges of services that are no longer in the repository."""
    removed: list[str] = []
    badges = (out / BADGES_DIR).resolve()
    for name in sorted(gone):
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            continue
        for ext in ("svg", "json"):
            p = out / badge_file(name, ext)
            if p.resolve().parent != badges:
                continue
            try:
                p.unlink()
                removed.append(badge_file(name, ext))
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise UsageError(f"cannot remove {p}: {exc.strerror}") from None
    return removed


def write_catalog(report: Report, out: Path, all_names: set[str] | None = None) -> list[str]:
    """Write the catalog of ``report`` into ``out``; the relative paths written (changed)."""
    files = outputs(report)
    for rel in files:
        parts = rel.split("/")
        if len(parts) > 2 or any(p in ("", ".", "..") for p in parts):
            raise UsageError(f"{rel}: a service name must be one folder name")
    gone = _previous_names(out) - (all_names if all_names is not None else {s.name for s in report.services})
    written: list[str] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for rel, body in files.items():
            if _write_if_changed(out / rel, body):
                written.append(rel)
    except OSError as exc:
        raise UsageError(f"cannot write the catalog into {out}: {exc.strerror or exc}") from None
    _prune(out, gone)
    return written


def github_evidence(services: list[Service], config: Config, notes: list[str]) -> Any:
    """In GitHub Actions with a token: what GitHub shows of the evaluated commit and of each
    service's deployments (dev, staging, prod), so that ``promotion.prod-monitor`` and the
    deployment items are judged as far as that evidence allows. Elsewhere: None (and a note)."""
    from gate.github import env as ghenv

    try:
        env = ghenv.load()
    except ghenv.EnvError as exc:
        raise UsageError(str(exc)) from None
    if not (env.in_actions and env.token and "/" in env.repository):
        notes.append("No GitHub evidence here (the catalog reads deployments and checks only in GitHub Actions, "
                     "with a token): the items that need it are unverified.")
        return None
    from gate.action import gather
    from gate.github.client import Client

    owner, repo = env.owner_repo
    evidence = gather(Client(env.token, env.api_url), None, owner, repo, None, env.sha, services, config, "catalog")
    for what, why in evidence.errors.items():
        notes.append(f"GitHub evidence {what} is not available: {why}")
    return evidence


def run_catalog(args: argparse.Namespace) -> int:
    now = parse_now(args.now)
    only = parse_only(args.only)
    if args.format or args.output or args.out_dir:
        _formats(args.format, "json")  # a wrong --format is a usage error before any work
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {args.out}: exists and is not a directory")
    root = repo_root(args.paths, args.repo)
    config = load_config(Workspace(root), args.config)
    ws = make_workspace(root, config)
    all_services = discover(ws, config.path("services"))
    services = select(all_services, root, args.paths, config.path("services"))
    notes: list[str] = []
    evidence = github_evidence(services, config, notes)
    run = RunInfo(ws, config, now, "catalog", base=args.base, all_services=all_services, github=evidence,
                  strict=args.strict, providers=providers(args))
    start_live(run, services)  # configured live providers, prefetched concurrently (none with --offline)
    interactive = sys.stderr.isatty()
    progress = Progress(len(services), sys.stderr) if interactive else None
    try:
        report = evaluate(run, services, only, tuple(notes), on_service=progress)
    finally:
        if progress is not None:
            progress.close()
    write_catalog(report, out, {s.name for s in all_services})
    if args.format or args.output or args.out_dir:
        write_outputs(report, args, default="json")
    if interactive:
        ready = sum(1 for s in report.services if s.ready)
        print(
            f"prodgate catalog: {len(report.services)} services, {ready} ready → {out / INDEX_HTML}",
            file=sys.stderr,
        )
    return 0
