"""Shared plumbing of the modes: load the configuration, select services, write the outputs.
``prodgate check`` itself is :func:`run_check`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from gate import config as cfg
from gate.cli import UsageError, _formats, parse_now, providers, repo_root
from gate.context import RunInfo
from gate.engine import evaluate
from gate.model import Report, blocks
from gate.render import EXTENSIONS, renderer
from gate.services import Service, discover
from gate.workspace import SourceProblem, Workspace


def _reader(ws: Workspace) -> Callable[[str], str | None]:
    """Files the configuration names (freeze calendars), read safely from the working tree."""

    def read(rel: str) -> str | None:
        try:
            return ws.text(rel)
        except SourceProblem as exc:
            raise cfg.ConfigError(exc.finding.message) from None

    return read


def load_config(
    ws: Workspace,
    explicit: str | None,
    text: str | None = None,
    source: str | None = None,
    read: Callable[[str], str | None] | None = None,
) -> cfg.Config:
    """The configuration: ``text`` (read from the PR's base by the caller, with ``read`` for the
    files it names), else ``--config``, else ``.github/prod-readiness.yml`` in the repository,
    else the defaults. Files it names are read with ``read``, else from ``ws``."""
    read = read or _reader(ws)
    try:
        if text is not None:
            return cfg.parse(text, source or cfg.DEFAULT_PATH, read)
        if explicit:
            p = Path(explicit)
            if not p.is_file():
                raise UsageError(f"--config {explicit}: no such file")
            data = p.read_bytes()
            if len(data) > 1024 * 1024:
                raise UsageError(f"--config {explicit}: larger than 1 MiB")
            return cfg.parse(data.decode("utf-8", "replace"), explicit, read)
        try:
            raw = ws.text(cfg.DEFAULT_PATH)
        except SourceProblem as exc:
            raise UsageError(f"{cfg.DEFAULT_PATH}: {exc.finding.message}") from None
        if raw is None:
            return cfg.defaults()
        return cfg.parse(raw, cfg.DEFAULT_PATH, read)
    except cfg.ConfigError as exc:
        raise UsageError(f"{exc}\nFix the configuration (every key: {cfg.DOCS_URL}/configuration.md) and run again.") from None


def make_workspace(root: Path, config: cfg.Config | None = None) -> Workspace:
    if config is None:
        return Workspace(root)
    return Workspace(root, config.limits.max_file_bytes, config.limits.max_files, config.limits.max_total_bytes)


def select(all_services: list[Service], root: Path, paths: list[str], services_root: str | None = None) -> list[Service]:
    """The services under any of ``paths`` (all when no path or a path above them). No service
    at all is a usage error (exit 2): a gate that judges nothing must not pass a misconfigured
    services root."""
    if not all_services:
        where = root / services_root if services_root is not None else root
        key = f"paths.services is {services_root!r}" if services_root is not None else "see paths.services"
        raise UsageError(
            f"no service found under {where} ({key}): a service is a folder there holding a service.yaml; "
            f"run prodgate in the repository root, give it with --repo, or set paths.services in {cfg.DEFAULT_PATH}")
    if not paths:
        return all_services
    chosen: list[Service] = []
    for raw in paths:
        p = Path(raw).resolve()
        try:
            rel = p.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{raw}: outside the repository {root}") from None
        rel = "" if rel == "." else rel
        hits = [s for s in all_services if not rel or s.dir == rel or s.dir.startswith(rel + "/") or rel.startswith(s.dir + "/")]
        if not hits and rel:
            raise UsageError(f"{raw}: no service there (a service is a folder under the services root with a service.yaml)")
        for s in hits:
            if s not in chosen:
                chosen.append(s)
    return chosen


def parse_only(value: str | None) -> frozenset[str] | None:
    if not value:
        return None
    from gate.catalog import BY_ID

    ids = frozenset(v.strip() for v in value.split(",") if v.strip())
    unknown = sorted(i for i in ids if i not in BY_ID)
    if unknown:
        raise UsageError(f"--only: unknown item id(s) {', '.join(unknown)}")
    return ids


def write_outputs(report: Report, args: argparse.Namespace, default: str = "text", root: Path | None = None) -> None:
    """Each ``--format`` to its ``--output`` (in order), else into ``--out-dir``, else stdout
    (at most one format on stdout). Files are never written through a symlink inside the judged
    repository ``root`` (:func:`gate.safeio.safe_write`)."""
    fmts = _formats(args.format, default)
    outputs = list(args.output or [])
    if len(outputs) > len(fmts):
        raise UsageError("more --output files than --format values")
    out_dir = Path(args.out_dir) if args.out_dir else None
    to_stdout = [f for n, f in enumerate(fmts) if n >= len(outputs) and out_dir is None]
    if len(to_stdout) > 1:
        raise UsageError("several formats on stdout: give --output FILE for each, or --out-dir DIR")
    for n, fmt in enumerate(fmts):
        if fmt == "text":
            from gate.render.text import render as text_render
            from gate.render.text import use_colour

            target_is_tty = n >= len(outputs) and out_dir is None
            body = text_render(report, colour=target_is_tty and use_colour(sys.stdout),
                               verbose=bool(getattr(args, "verbose", False)))
        else:
            body = renderer(fmt)(report)
        if n < len(outputs):
            _write(Path(outputs[n]), body, root)
        elif out_dir is not None:
            _write(out_dir / f"report.{EXTENSIONS[fmt]}", body, root)
        else:
            sys.stdout.write(body)
            sys.stdout.flush()


def _write(path: Path, body: str, root: Path | None) -> None:
    from gate.safeio import safe_write

    try:
        safe_write(path, body, root if root is not None else Path.cwd())
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


def run_check(args: argparse.Namespace) -> int:
    now = parse_now(args.now)
    only = parse_only(args.only)
    root = repo_root(args.paths, args.repo)
    probe = Workspace(root)
    config = load_config(probe, args.config)
    ws = make_workspace(root, config)
    all_services = discover(ws, config.path("services"))
    services = select(all_services, root, args.paths, config.path("services"))
    run = RunInfo(ws, config, now, "check", base=args.base, all_services=all_services, strict=args.strict,
                  providers=providers(args))
    from gate.providers import start

    start(run, services)  # live queries of the judged services, concurrently (none when not configured)
    report = evaluate(run, services, only)
    write_outputs(report, args, root=root)
    return 1 if blocks(report, strict=args.strict) else 0
