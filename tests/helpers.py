"""Test helpers: build small platform repositories and evaluate single items."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from gate import config as cfg
from gate.context import RunInfo
from gate.engine import evaluate_change, evaluate_service
from gate.github.evidence import PullRequestEvidence
from gate.model import ItemResult
from gate.services import discover
from gate.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "platform"
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (repo-relative path → content; str content is dedented) under ``root``."""
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def make_run(
    root: Path,
    *,
    now: dt.datetime = NOW,
    mode: str = "check",
    pr: PullRequestEvidence | None = None,
    config_text: str | None = None,
    base: str | None = None,
) -> RunInfo:
    ws = Workspace(root)
    if config_text is not None:
        config = cfg.parse(textwrap.dedent(config_text), cfg.DEFAULT_PATH)
    else:
        raw = ws.text(cfg.DEFAULT_PATH)
        config = cfg.parse(raw, cfg.DEFAULT_PATH) if raw is not None else cfg.defaults()
    services = discover(ws, config.path("services"))
    return RunInfo(ws, config, now, mode, pr=pr, base=base, all_services=services)


def item(root: Path, service: str, item_id: str, **kw: object) -> ItemResult:
    """Evaluate one item of one service (with waivers and advisory applied)."""
    run = make_run(root, **kw)  # type: ignore[arg-type]
    svc = next(s for s in run.all_services if s.name == service)
    report = evaluate_service(run, svc, frozenset({item_id}))
    return report.item(item_id)


def change_item(root: Path, item_id: str, **kw: object) -> ItemResult:
    run = make_run(root, **kw)  # type: ignore[arg-type]
    return next(i for i in evaluate_change(run, frozenset({item_id})) if i.id == item_id)
