"""The options the modes share, below them: the gate's clock (``--now``), the repository root,
the configuration, the workspace, the services judged (``PATH``, ``--only``), what the live
providers get from the command line, and the report written in each ``--format``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gate import UsageError
from gate import config as cfg
from gate.model import Report
from gate.render import EXTENSIONS, FORMATS, renderer
from gate.services import Service
from gate.workspace import SourceProblem, Workspace

if TYPE_CHECKING:
    from gate.context import Providers


def parse_now(value: str | None) -> dt.datetime:
    """``--now`` (ISO 8601; a naive time is UTC) or the current time, timezone-aware."""
    if not value:
        return dt.datetime.now(dt.UTC)
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--now {value!r} is not an ISO 8601 time (e.g. 2026-11-29T12:00:00Z)") from None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def repo_root(paths: list[str], explicit: str | None) -> Path:
    """The repository: ``--repo``, else the nearest folder (from the first PATH or the current
    directory, upwards) holding sst.config.ts, .github/prod-readiness.yml or .git."""
    if explicit:
        root = Path(explicit)
        if not root.is_dir():
            raise UsageError(f"--repo {explicit}: not a directory")
        return root.resolve()
    start = Path(paths[0]) if paths else Path.cwd()
    if not start.exists():
        raise UsageError(f"{start}: no such file or directory")
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for d in (start, *start.parents):
        if (d / "sst.config.ts").is_file() or (d / ".github" / "prod-readiness.yml").is_file() or (d / ".git").exists():
            return d
    return start


def providers(args: argparse.Namespace) -> Providers:
    """What live providers get from the command line (RunInfo.providers)."""
    from gate.context import Providers

    return Providers(offline=bool(getattr(args, "offline", False)), database_url=getattr(args, "database_url", None))


def formats(values: list[str] | None, default: str) -> list[str]:
    """The ``--format`` values (repeated or comma-separated), each once, in order."""
    out: list[str] = []
    for v in values or [default]:
        for f in v.split(","):
            f = f.strip()
            if f not in FORMATS:
                raise UsageError(f"--format {f!r}: choose from {', '.join(FORMATS)}")
            if f not in out:
                out.append(f)
    return out


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
    fmts = formats(args.format, default)
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
