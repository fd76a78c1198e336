"""``prodgate pr`` end to end: the real entrypoint, run as the Actions runner runs a Docker
action, against the stand-in for api.github.com (every request checked against GitHub's OpenAPI
description)."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import pytest

from tests.github.conftest import (
    TOKEN,
    Scenario,
    event_payload,
    git,
    platform_repo,
    pr_event,
    run_gate,
)

OPS_BASE = [
    "GET /repos/{owner}/{repo}/pulls/{pull_number}",
    "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
    "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
    "GET /repos/{owner}/{repo}/commits/{ref}/status",
    "GET /repos/{owner}/{repo}/actions/runs/{run_id}",
    "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
    # dev and staging: the environment's deployments, and those of the head (sha filter)
    *["GET /repos/{owner}/{repo}/deployments"] * 4,
    "POST /repos/{owner}/{repo}/check-runs",
]


def _files(paths: list[str]) -> list[dict[str, Any]]:
    return [{"sha": "0" * 40, "filename": p, "status": "modified", "additions": 1, "deletions": 0, "changes": 1}
            for p in paths]


def _green(s: Scenario) -> None:
    s.reviews = [{"id": 80, "user": {"login": "octocat", "type": "User"}, "state": "APPROVED", "commit_id": s.head_sha,
                  "submitted_at": "2026-11-29T10:00:00Z", "body": "", "author_association": "MEMBER"}]
    s.check_runs = [
        {"id": 11, "name": "test", "head_sha": s.head_sha, "status": "completed", "conclusion": "success"},
        {"id": 12, "name": "conformance", "head_sha": s.head_sha, "status": "completed", "conclusion": "success"},
    ]
    s.statuses = [{"context": "ci/build", "state": "success", "target_url": "https://ci.example.com/1"}]


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str, str]:
    ws = tmp_path / "workspace"
    base, head = platform_repo(ws, {"payments": "stable", "billing": "stable", "ledger": "beta"})
    return ws, base, head


def _scenario(repo: tuple[Path, str, str], paths: list[str]) -> Scenario:
    _, base, head = repo
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(paths)
    return s


def _ops(standin: Any) -> list[str]:
    return [standin.api.operation(r.method, r.path) for r in standin.requests]


def _no_secret(run: Any, ws: Path) -> None:
    assert TOKEN not in run.stdout + run.stderr + run.summary
    for p in (ws / "prodgate-report").glob("*"):
        assert TOKEN not in p.read_text(encoding="utf-8")


def test_approved_and_green(repo, standin_factory, webhook_examples):
    ws = repo[0]
    s = _scenario(repo, ["services/payments/src/index.ts"])
    _green(s)
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code in (0, 1), run.stderr
    # the request count is a small constant: one request per kind of evidence, one write
    assert sorted(_ops(standin)) == sorted(OPS_BASE), _ops(standin)
    runs = standin.gate_runs()
    assert len(runs) == 1
    cr = runs[0]
    assert cr["head_sha"] == s.head_sha
    assert cr["output"]["title"].startswith(("✓ ready", "✗ not ready", "Waiting for"))
    assert "prodgate" in cr["output"]["summary"]
    assert run.outputs["ready"] in ("true", "false")
    assert run.outputs["services"] == '["payments"]'
    assert run.outputs["report"] == "prodgate-report/report.json"
    assert run.report is not None and run.report["mode"] == "pr"
    assert [i["id"] for i in run.report["items"]] == ["promotion.approved", "promotion.ci-green", "promotion.freeze"]
    assert run.summary.startswith("## prodgate")
    assert (run.code == 1) == (cr["conclusion"] == "failure" or cr["status"] == "in_progress")
    # the PR head sha from the payload, not GITHUB_SHA (the merge commit)
    assert all("0000000000" not in r.path for r in standin.requests)
    _no_secret(run, ws)


def test_transient_502s_then_success(repo, standin_factory, webhook_examples):
    ws = repo[0]
    s = _scenario(repo, ["services/payments/src/index.ts"])
    _green(s)
    standin = standin_factory(s)
    standin.fail("GET", r"/pulls/\d+/files$", 502, times=2, message="Bad Gateway")
    standin.fail("GET", r"/reviews$", 502, times=1, message="Bad Gateway")
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code in (0, 1), run.stderr
    assert len(standin.requests) == len(OPS_BASE) + 3
    assert [r.status for r in standin.requests if r.path.endswith("/files")] == [502, 502, 200]
    assert len(standin.gate_runs()) == 1
    assert not any("not available" in n for n in run.report["notes"])


def test_secondary_rate_limit_waits_retry_after(repo, standin_factory, webhook_examples):
    ws = repo[0]
    s = _scenario(repo, ["services/payments/src/index.ts"])
    _green(s)
    standin = standin_factory(s)
    standin.fail("GET", r"/check-runs$", 403, times=1, headers={"Retry-After": "1"},
                 message="You have exceeded a secondary rate limit. Please wait a few minutes before you try again.")
    standin.fail("POST", r"/check-runs$", 403, times=1, headers={"Retry-After": "1"},
                 message="You have exceeded a secondary rate limit. Please wait a few minutes before you try again.")
    t0 = time.monotonic()
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code in (0, 1), run.stderr
    assert time.monotonic() - t0 >= 2  # waited retry-after twice
    assert len(standin.requests) == len(OPS_BASE) + 2
    assert len(standin.gate_runs()) == 1  # the refused POST created nothing, the retry one run


def test_gives_up_within_the_budget(repo, standin_factory, webhook_examples):
    ws = repo[0]
    s = _scenario(repo, ["services/payments/src/index.ts"])
    standin = standin_factory(s)
    standin.fail("GET", r"/pulls/\d+$", 503, times=100, message="Service Unavailable")
    run = run_gate(ws, standin, pr_event(webhook_examples, s), extra_env={"PRODGATE_RETRY_ATTEMPTS": "3"})
    assert run.code == 2
    assert "cannot read pull request #2" in run.stderr and "HTTP 503" in run.stderr
    assert len(standin.requests) == 3
    assert TOKEN not in run.stderr + run.stdout


def test_fork_token_falls_back_to_workflow_commands(repo, standin_factory, webhook_examples):
    ws, base, _ = repo
    links = "\n".join(f"See [part {i}](./missing-{i}.md)." for i in range(25))
    write_head(ws, {"docs/services/payments.md": f"---\ntitle: Payments\n---\n# Payments\n\n{links}\n"})
    head = git(ws, "rev-parse", "HEAD")
    s = Scenario(head_sha=head, base_sha=base, read_only=True)
    s.files = _files(["docs/services/payments.md"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s, fork=True))
    assert run.code in (0, 1), run.stderr
    assert standin.gate_runs() == []
    assert len(standin.sent("POST")) == 1  # refused once, not retried
    cmds = [ln for ln in run.stdout.splitlines() if ln.startswith(("::error ", "::warning ", "::notice "))]
    assert cmds
    for level in ("::error ", "::warning ", "::notice "):
        assert sum(1 for c in cmds if c.startswith(level)) <= 10
    assert "cannot create check runs" in run.summary
    positioned = [f for s_ in run.report["services"] for i in s_["items"] for f in i["findings"]
                  if f["path"] and f["line"]]
    assert len(positioned) > 20
    assert "were not shown as workflow annotations" in run.summary
    # every finding stays in the job summary
    assert run.summary.count("missing\\-") >= 25 or run.summary.count("missing-") >= 25
    assert all("file=docs/services/payments.md" in c or "file=services/" in c for c in cmds)


def write_head(ws: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = ws / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", "more")


def test_300_changed_files_are_paginated(repo, standin_factory, webhook_examples):
    ws = repo[0]
    paths = [f"docs/notes/n{i:03}.md" for i in range(297)]
    paths += ["services/payments/src/index.ts", "docs/services/billing.md", "packages/sdk-ledger/package.json"]
    s = _scenario(repo, paths)
    _green(s)
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code in (0, 1), run.stderr
    pages = [dict(r.query) for r in standin.requests if r.path.endswith("/files")]
    assert pages == [{"per_page": "100", "page": str(n)} for n in (1, 2, 3)]
    assert run.outputs["services"] == '["billing", "ledger", "payments"]'
    ledger = next(x for x in run.report["services"] if x["name"] == "ledger")
    assert "service is beta" in ledger.get("advisory", "")
    # one request per kind of evidence: 3 pages of files, 2 environments per touched service (each
    # read twice: the environment's newest, the head's by the sha filter)
    assert len(standin.requests) == len(OPS_BASE) + 2 + 2 * 2 * 2


def test_120_findings_become_120_annotations_in_3_batches(repo, standin_factory, webhook_examples):
    ws, base, _ = repo
    links = "\n".join(f"See [part {i}](./missing-{i}.md)." for i in range(120))
    write_head(ws, {"docs/services/payments.md": f"---\ntitle: Payments\n---\n# Payments\n\n{links}\n"})
    head = git(ws, "rev-parse", "HEAD")
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["docs/services/payments.md"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code in (0, 1), run.stderr
    positioned = [f for x in run.report["items"] + [i for sv in run.report["services"] for i in sv["items"]]
                  for f in x["findings"] if f["path"] and f["line"]]
    docs_page = [a for a in positioned if a["path"] == "docs/services/payments.md"]
    assert len(docs_page) >= 120
    (cr,) = standin.gate_runs()
    assert len(cr["annotations"]) == len(positioned)
    writes = [r for r in standin.requests if r.method in ("POST", "PATCH")]
    assert len(writes) == math.ceil(len(positioned) / 50)
    assert all(len(r.body["output"].get("annotations", [])) <= 50 for r in writes)
    assert len({(a["path"], a["start_line"], a["message"]) for a in cr["annotations"]}) == len(positioned)


def test_rerun_never_reuses_a_completed_check_run(repo, standin_factory, webhook_examples):
    ws, base, _ = repo
    links = "\n".join(f"See [part {i}](./missing-{i}.md)." for i in range(60))
    write_head(ws, {"docs/services/payments.md": f"---\ntitle: Payments\n---\n# Payments\n\n{links}\n"})
    head = git(ws, "rev-parse", "HEAD")
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["docs/services/payments.md"])
    standin = standin_factory(s)
    first = run_gate(ws, standin, pr_event(webhook_examples, s))
    (cr,) = standin.gate_runs()
    n = len(cr["annotations"])
    assert n >= 60 and cr["status"] == "completed"
    count_first = len(standin.requests)
    s.labels = ["freeze-exception"]
    second = run_gate(ws, standin, pr_event(webhook_examples, s, action="labeled"))
    assert first.code in (0, 1) and second.code in (0, 1), second.stderr
    old, new = standin.gate_runs()
    assert old is cr and len(cr["annotations"]) == n  # the completed run is left as it was
    assert len(new["annotations"]) == n  # the new run holds exactly this verdict's findings
    assert len({(a["path"], a["start_line"], a["message"]) for a in new["annotations"]}) == n
    later = standin.requests[count_first:]
    assert [r.method for r in later if r.method != "GET"] == ["POST", "PATCH"]  # 50 + the rest
    assert all(r.path != f"/repos/{s.owner}/{s.repo}/check-runs/{cr['id']}" for r in later)


def test_no_annotation_of_an_earlier_verdict_piles_up(repo, standin_factory, webhook_examples):
    ws, base, _ = repo
    page = "---\ntitle: Ledger\n---\n# Ledger\n\nSee [it](./{}.md).\n"
    # ledger is beta: its broken link is a warning; payments (stable) makes the change-level items block
    write_head(ws, {"docs/services/ledger.md": page.format("gone-a"),
                    "docs/services/payments.md": "---\ntitle: Payments\n---\n# Payments\n\nCard payments.\n"})
    head = git(ws, "rev-parse", "HEAD")
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["docs/services/ledger.md", "docs/services/payments.md"])
    _green(s)
    s.check_runs[0].update(status="in_progress", conclusion=None)  # CI running: the verdict is pending
    standin = standin_factory(s)
    only = ["pr", "--now", "2026-11-29T12:00:00Z", "--only",
            "artifacts.docs-page,promotion.approved,promotion.ci-green,promotion.freeze"]
    run_gate(ws, standin, pr_event(webhook_examples, s), argv=only)
    (pending_run,) = standin.gate_runs()
    assert pending_run["status"] == "in_progress", pending_run["output"]["title"]
    assert [a["annotation_level"] for a in pending_run["annotations"]] == ["warning"]
    assert "gone-a" in pending_run["annotations"][0]["message"]
    # a later event on the same head, with another verdict: gone-a must not show any more
    (ws / "docs/services/ledger.md").write_text(page.format("gone-b"), encoding="utf-8")
    second = run_gate(ws, standin, pr_event(webhook_examples, s, action="labeled"), argv=only)
    assert second.code == 1, second.stderr  # still pending
    old, new = standin.gate_runs()
    assert old is pending_run and old["status"] == "completed" and old["conclusion"] == "cancelled"
    assert [a["message"] for a in new["annotations"] if "gone-" in a["message"]] == [
        next(a["message"] for a in new["annotations"])]
    assert "gone-b" in new["annotations"][0]["message"] and len(new["annotations"]) == 1
    # the same verdict again completes the pending run in place (nothing appended twice)
    third = run_gate(ws, standin, pr_event(webhook_examples, s, action="labeled"), argv=only)
    assert third.code == 1
    assert len(standin.gate_runs()) == 2 and len(new["annotations"]) == 1


def test_config_is_read_from_the_base_commit(tmp_path, standin_factory, webhook_examples):
    ws = tmp_path / "workspace"
    base, head = platform_repo(
        ws, {"payments": "stable"},
        base_files={".github/prod-readiness.yml": "check_name: readiness-from-base\n"},
        head_files={".github/prod-readiness.yml": "check_name: loosened-by-the-pr\nadvisory: [artifacts.readme]\n",
                    "services/payments/src/index.ts": "export const x = 1;\n"},
    )
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files([".github/prod-readiness.yml", "services/payments/src/index.ts"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code in (0, 1), run.stderr
    assert [c["name"] for c in s.check_runs] == ["readiness-from-base"]
    assert any("applies once merged" in n for n in run.report["notes"])


def test_inputs_with_hyphens_drive_the_entrypoint(repo, standin_factory, webhook_examples):
    """No subcommand: the Docker entrypoint maps INPUT_MODE and the hyphenated inputs."""
    ws = repo[0]
    s = _scenario(repo, ["services/payments/src/index.ts"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s), argv=[],
                   inputs={"mode": "pr", "sarif-file": "out/prodgate.sarif"})
    assert run.code in (0, 1), run.stderr
    assert (ws / "out" / "prodgate.sarif").is_file()
    assert len(standin.gate_runs()) == 1


def test_over_3000_files_falls_back_to_git(repo, standin_factory, webhook_examples):
    ws = repo[0]
    s = _scenario(repo, [f"docs/notes/n{i:04}.md" for i in range(3000)])
    s.changed_files = 3500  # GitHub lists only 3,000: the gate diffs base...head in the workspace
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code in (0, 1), run.stderr
    assert not [r for r in standin.requests if r.path.endswith("/files")]
    assert run.outputs["services"] == '["payments"]'  # from git: services/payments/src/index.ts


def test_huge_summary_is_cut_with_a_pointer(repo, standin_factory, webhook_examples):
    ws, base, _ = repo
    links = "\n".join(f"See [part {i} {'x' * 200}](./missing-{i}.md)." for i in range(700))
    write_head(ws, {"docs/services/payments.md": f"---\ntitle: Payments\n---\n# Payments\n\n{links}\n"})
    head = git(ws, "rev-parse", "HEAD")
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["docs/services/payments.md"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code in (0, 1), run.stderr
    (cr,) = standin.gate_runs()
    summary = cr["output"]["summary"]
    full = (ws / "prodgate-report" / "report.md").read_text(encoding="utf-8")
    assert len(full.encode()) > 65_535
    assert len(summary.encode("utf-8")) <= 65_535
    assert "The report is cut here" in summary and "prodgate-report/report.md" in summary
    assert len(cr["annotations"]) >= 700
    assert run.summary.startswith(full[:1000])  # the job summary has it all (under 1 MiB)


def test_pending_then_green_completes_the_same_check_run(repo, standin_factory, webhook_examples):
    ws = repo[0]
    s = _scenario(repo, ["services/payments/src/index.ts"])
    _green(s)
    s.check_runs[0].update(status="in_progress", conclusion=None)  # CI still running
    standin = standin_factory(s)
    only = ["pr", "--now", "2026-11-29T12:00:00Z", "--only", "promotion.approved,promotion.ci-green,promotion.freeze"]
    first = run_gate(ws, standin, pr_event(webhook_examples, s), argv=only)
    items = {i["id"]: i["status"] for i in first.report["items"]}
    assert items == {"promotion.approved": "pass", "promotion.ci-green": "pending", "promotion.freeze": "pass"}
    assert first.code == 1  # pending blocks the step
    (cr,) = standin.gate_runs()
    assert cr["status"] == "in_progress" and cr["conclusion"] is None
    assert cr["output"]["title"].startswith("Waiting for promotion.ci-green")
    # CI completes: workflow_run re-runs the gate, which completes the same check run
    s.check_runs[0].update(status="completed", conclusion="success")
    ev = event_payload(webhook_examples, "workflow_run", "completed")
    ev["workflow_run"].update(head_sha=s.head_sha, pull_requests=[{"number": s.number, "id": 1, "url": "u",
                                                                     "head": {}, "base": {}}])
    second = run_gate(ws, standin, ev, event_name="workflow_run", argv=only)
    assert second.code == 0, second.stderr
    assert len(standin.gate_runs()) == 1
    assert cr["status"] == "completed" and cr["conclusion"] == "success"
    assert second.outputs["failed-items"] == ""
