"""Evidence-level fixtures for the GitHub-backed items: GitHubEvidence / PullRequestEvidence
records built directly (no HTTP), a tiny repository with one service, and evaluation of one item
through the engine (so waivers, advisory and the fail-closed wrapper apply as in a real run)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from gate.engine import evaluate_change, evaluate_service
from gate.github.evidence import (
    CheckRun,
    CommitStatus,
    Deployment,
    GitHubEvidence,
    PullRequestEvidence,
    Review,
)
from gate.model import ItemResult
from tests.helpers import NOW, make_run, write_tree

HEAD = "a1" * 20
OLD = "b2" * 20
UTC = dt.UTC

SERVICE_YAML = """\
name: payments
description: Card and ACH payments for all brands.
owner: team-payments
status: stable
tier: 1
brand_scope: [all]
on_call:
  primary: alice
  secondary: bob
  pagerduty_schedule: P1A2B3C
readiness:
  attestations:
    - item: oncall.notified
      by: dave
      at: 2026-11-20
"""

RUNBOOK = """\
# Payments runbook

## Alarms

Error rate.

## Rollback

Redeploy the previous image with `sst deploy --stage prod`.
"""


def repo(root: Path, files: dict[str, str | bytes] | None = None, **extra: str) -> Path:
    base: dict[str, str | bytes] = {
        "services/payments/service.yaml": SERVICE_YAML,
        "services/payments/RUNBOOK.md": RUNBOOK,
        "services/payments/package.json": '{"name": "@platform/payments", "version": "1.0.0"}\n',
    }
    base.update(files or {})
    base.update(extra)
    return write_tree(root, base)


def pr(**kw: Any) -> PullRequestEvidence:
    args: dict[str, Any] = {"number": 42, "author": "erin", "head_sha": HEAD, "base_sha": OLD, "base_ref": "main"}
    args.update(kw)
    return PullRequestEvidence(**args)


def review(user: str, state: str = "APPROVED", commit: str = HEAD, minute: int = 0, association: str = "MEMBER",
           bot: bool = False) -> Review:
    return Review(user, state, commit, dt.datetime(2026, 11, 29, 10, minute, tzinfo=UTC), association, bot)


def run_(name: str, conclusion: str | None = "success", status: str = "completed", app: str = "github-actions",
         ident: int | None = None, suite: int | None = None) -> CheckRun:
    return CheckRun(name, status, conclusion, url=f"https://github.com/o/r/runs/{abs(hash(name)) % 1000}", app=app,
                    id=ident, suite_id=suite)


def status_(context: str, state: str = "success") -> CommitStatus:
    return CommitStatus(context, state, f"https://ci.example/{context}")


def deploy(env: str, sha: str = HEAD, state: str | None = "success", at: dt.datetime = NOW,
           ident: int = 1) -> Deployment:
    return Deployment(ident, env, sha, at - dt.timedelta(minutes=5), state, at, f"https://api.github.com/d/{ident}")


def evidence(p: PullRequestEvidence | None = None, **kw: Any) -> GitHubEvidence:
    kw.setdefault("sha", p.head_sha if p is not None else HEAD)
    return GitHubEvidence(p, **kw)


def change(root: Path, item_id: str, *, p: PullRequestEvidence | None = None, gh: GitHubEvidence | None = None,
           now: dt.datetime = NOW, config_text: str | None = None, mode: str = "pr") -> ItemResult:
    run = make_run(root, now=now, pr=p, config_text=config_text, mode=mode)
    run.github = gh
    return next(i for i in evaluate_change(run, frozenset({item_id})) if i.id == item_id)


def service(root: Path, item_id: str, *, p: PullRequestEvidence | None = None, gh: GitHubEvidence | None = None,
            now: dt.datetime = NOW, config_text: str | None = None, mode: str = "pr",
            name: str = "payments") -> ItemResult:
    run = make_run(root, now=now, pr=p, config_text=config_text, mode=mode)
    run.github = gh
    svc = next(s for s in run.all_services if s.name == name)
    return evaluate_service(run, svc, frozenset({item_id})).item(item_id)


def line_of(text: str, needle: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in text")
