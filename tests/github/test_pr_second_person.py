"""A pull request cannot excuse itself: a waiver or attestation it adds or changes counts only
once the person it names approves the PR's head commit. Played through ``prodgate pr``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.github.conftest import SERVICE_YAML, Scenario, git, platform_repo, pr_event, run_gate

NOW = "2026-11-29T12:00:00Z"
WAIVER = """readiness:
  waivers:
    - item: artifacts.readme
      reason: README rewrite tracked in PLAT-12
      approved_by: {by}
      expires: "{expires}"
"""
ATTEST = """readiness:
  attestations:
    - item: oncall.dashboard-access
      by: carol
      at: "{at}"
      evidence: https://grafana.example.com/access
"""


def _yaml(extra: str) -> str:
    return SERVICE_YAML.format(name="payments", status="stable").lstrip("\n") + extra


def _repo(tmp_path: Path, base_extra: str, head_extra: str, config: str | None = None) -> tuple[Path, str, str]:
    ws = tmp_path / "workspace"
    base_files = {"services/payments/service.yaml": _yaml(base_extra)}
    if config:
        base_files[".github/prod-readiness.yml"] = config
    base, _ = platform_repo(ws, {"payments": "stable"}, base_files=base_files,
                            head_files={"services/payments/service.yaml": _yaml(head_extra)})
    return ws, base, git(ws, "rev-parse", "HEAD")


def _review(user: str, sha: str, state: str = "APPROVED", rid: int = 80) -> dict[str, Any]:
    return {"id": rid, "user": {"login": user}, "state": state, "commit_id": sha,
            "submitted_at": "2026-11-29T10:00:00Z", "body": ""}


def _run(ws: Path, base: str, head: str, standin_factory: Any, examples: Any, only: str,
         reviews: list[dict[str, Any]], teams: dict[str, list[str] | None] | None = None) -> Any:
    s = Scenario(head_sha=head, base_sha=base)
    s.files = [{"sha": "0" * 40, "filename": "services/payments/service.yaml", "status": "modified",
                "additions": 5, "deletions": 0, "changes": 5}]
    s.reviews = reviews
    s.teams = teams or {}
    s.check_runs = [{"id": 11, "name": "test", "head_sha": head, "status": "completed", "conclusion": "success"}]
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(examples, s), argv=["pr", "--now", NOW, "--only", only])
    assert run.report is not None, run.stderr
    return run


def _item(run: Any, item: str) -> dict[str, Any]:
    svc = next(s for s in run.report["services"] if s["name"] == "payments")
    return next(i for i in svc["items"] if i["id"] == item)


def _line(ws: Path, needle: str) -> int:
    lines = (ws / "services/payments/service.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if needle in text)


def test_readme_fails_without_a_waiver(tmp_path, standin_factory, webhook_examples):
    """The premise: the bare README fails artifacts.readme (so a waiver is what the attack needs)."""
    ws, base, head = _repo(tmp_path, "", "# a comment\n")
    run = _run(ws, base, head, standin_factory, webhook_examples, "artifacts.readme",
               [_review("octocat", head)])
    assert _item(run, "artifacts.readme")["status"] == "fail"
    assert run.code == 1


def test_new_waiver_waits_for_the_approval_of_the_person_it_names(tmp_path, standin_factory, webhook_examples):
    ws, base, head = _repo(tmp_path, "", WAIVER.format(by="carol", expires="2026-12-20"))
    run = _run(ws, base, head, standin_factory, webhook_examples, "artifacts.readme",
               [_review("octocat", head)])
    it = _item(run, "artifacts.readme")
    assert it["status"] == "pending"
    f = next(f for f in it["findings"] if f["path"] == "services/payments/service.yaml")
    assert f["line"] == _line(ws, "- item: artifacts.readme")
    assert "counts once carol (named in approved_by) approves this pull request's head commit" in f["message"]
    assert "waiting for carol's approval" in f["message"]
    assert run.code == 1


def test_new_waiver_counts_once_approved_on_the_head(tmp_path, standin_factory, webhook_examples):
    ws, base, head = _repo(tmp_path, "", WAIVER.format(by="carol", expires="2026-12-20"))
    run = _run(ws, base, head, standin_factory, webhook_examples, "artifacts.readme",
               [_review("carol", head)])
    assert _item(run, "artifacts.readme")["status"] == "waived"
    assert run.code == 0, run.stdout


@pytest.mark.parametrize("review", [
    _review("carol", "1" * 40),  # an older commit: stale
    _review("carol", "", rid=81),  # commit garbage-collected
    _review("carol", "HEAD", state="COMMENTED"),
])
def test_an_approval_that_is_not_on_the_head_does_not_count(review, tmp_path, standin_factory, webhook_examples):
    ws, base, head = _repo(tmp_path, "", WAIVER.format(by="carol", expires="2026-12-20"))
    review = {**review, "commit_id": head if review["commit_id"] == "HEAD" else review["commit_id"]}
    run = _run(ws, base, head, standin_factory, webhook_examples, "artifacts.readme",
               [_review("octocat", head, rid=79), review])
    assert _item(run, "artifacts.readme")["status"] == "pending"
    assert run.code == 1


@pytest.mark.parametrize("extra,why", [
    ({"author_association": "CONTRIBUTOR"}, "has no write access"),  # no permission in the stand-in: 404
    ({"author_association": "MEMBER", "user": {"login": "carol", "type": "Bot"}}, None),
])
def test_an_approval_without_write_access_or_by_a_bot_does_not_count(extra, why, tmp_path, standin_factory,
                                                                      webhook_examples):
    ws, base, head = _repo(tmp_path, "", WAIVER.format(by="carol", expires="2026-12-20"))
    run = _run(ws, base, head, standin_factory, webhook_examples, "artifacts.readme",
               [{**_review("carol", head), **extra}])
    it = _item(run, "artifacts.readme")
    assert it["status"] in ("fail", "pending"), it
    f = next(f for f in it["findings"] if f["path"] == "services/payments/service.yaml")
    assert f["line"] == _line(ws, "- item: artifacts.readme")
    if why:
        assert why in f["message"]
    assert run.code == 1


def test_a_later_dismissal_or_change_request_undoes_the_approval(tmp_path, standin_factory, webhook_examples):
    ws, base, head = _repo(tmp_path, "", WAIVER.format(by="carol", expires="2026-12-20"))
    run = _run(ws, base, head, standin_factory, webhook_examples, "artifacts.readme",
               [_review("carol", head), _review("carol", head, state="CHANGES_REQUESTED", rid=81)])
    assert _item(run, "artifacts.readme")["status"] in ("pending", "fail")
    assert run.code == 1


def test_a_waiver_approved_by_the_author_is_refused(tmp_path, standin_factory, webhook_examples):
    ws, base, head = _repo(tmp_path, "", WAIVER.format(by="Codertocat", expires="2026-12-20"))
    run = _run(ws, base, head, standin_factory, webhook_examples, "artifacts.readme",
               [_review("octocat", head)])
    it = _item(run, "artifacts.readme")
    assert it["status"] == "fail"
    f = next(f for f in it["findings"] if f["path"] == "services/payments/service.yaml")
    assert f["line"] == _line(ws, "- item: artifacts.readme")
    assert "names Codertocat, the pull request's author (approved_by): someone else must approve it" in f["message"]


def test_re_dating_a_waiver_of_the_base_needs_approval_again(tmp_path, standin_factory, webhook_examples):
    ws, base, head = _repo(tmp_path, WAIVER.format(by="carol", expires="2026-11-01"),
                           WAIVER.format(by="carol", expires="9999-12-31"))
    run = _run(ws, base, head, standin_factory, webhook_examples, "artifacts.readme",
               [_review("octocat", head)])
    assert _item(run, "artifacts.readme")["status"] == "pending"


def test_an_unchanged_waiver_of_the_base_is_trusted(tmp_path, standin_factory, webhook_examples):
    waiver = WAIVER.format(by="carol", expires="2026-12-20")
    ws, base, head = _repo(tmp_path, waiver, waiver.replace("readiness:", "# touched\nreadiness:"))
    run = _run(ws, base, head, standin_factory, webhook_examples, "artifacts.readme",
               [_review("octocat", head)])
    assert _item(run, "artifacts.readme")["status"] == "waived"
    assert run.code == 0


def test_waivers_approvers_restrict_who_may_approve(tmp_path, standin_factory, webhook_examples):
    config = "waivers:\n  approvers: [erin, platform/leads]\n"
    ws, base, head = _repo(tmp_path, "", WAIVER.format(by="carol", expires="2026-12-20"), config)
    run = _run(ws, base, head, standin_factory, webhook_examples, "artifacts.readme",
               [_review("carol", head)], teams={"platform/leads": ["dave"]})
    it = _item(run, "artifacts.readme")
    assert it["status"] == "fail"
    assert any("approved_by carol, who is not one of waivers.approvers (erin, platform/leads)" in f["message"]
               for f in it["findings"])
    # a team member named and approving: counts
    ws2, base2, head2 = _repo(tmp_path / "b", "", WAIVER.format(by="dave", expires="2026-12-20"), config)
    run2 = _run(ws2, base2, head2, standin_factory, webhook_examples, "artifacts.readme",
                [_review("dave", head2)], teams={"platform/leads": ["dave"]})
    assert _item(run2, "artifacts.readme")["status"] == "waived"


def test_unreadable_approver_team_keeps_the_waiver_pending(tmp_path, standin_factory, webhook_examples):
    config = "waivers:\n  approvers: [platform/leads]\n"
    ws, base, head = _repo(tmp_path, "", WAIVER.format(by="dave", expires="2026-12-20"), config)
    run = _run(ws, base, head, standin_factory, webhook_examples, "artifacts.readme",
               [_review("dave", head)], teams={"platform/leads": None})
    it = _item(run, "artifacts.readme")
    assert it["status"] == "pending"
    assert any("members of platform/leads could not be read; give the action an org-token" in f["message"]
               for f in it["findings"])


def test_waivers_max_days_refuses_a_longer_waiver_at_its_line(tmp_path, standin_factory, webhook_examples):
    config = "waivers:\n  max_days: 30\n"
    ws, base, head = _repo(tmp_path, "", WAIVER.format(by="carol", expires="9999-12-31"), config)
    run = _run(ws, base, head, standin_factory, webhook_examples, "artifacts.readme",
               [_review("carol", head)])
    it = _item(run, "artifacts.readme")
    assert it["status"] == "fail"
    f = next(f for f in it["findings"] if "waivers.max_days" in f["message"])
    assert f["path"] == "services/payments/service.yaml" and f["line"] == _line(ws, "- item: artifacts.readme")
    assert "longer than waivers.max_days (30); refused (set expires no later than 2026-12-29)" in f["message"]


def test_re_dated_attestation_waits_for_the_person_it_names(tmp_path, standin_factory, webhook_examples):
    ws, base, head = _repo(tmp_path, ATTEST.format(at="2026-09-01"), ATTEST.format(at="2026-11-28"))
    run = _run(ws, base, head, standin_factory, webhook_examples, "oncall.dashboard-access",
               [_review("octocat", head)])
    it = _item(run, "oncall.dashboard-access")
    assert it["status"] == "pending"
    (f,) = it["findings"]
    assert f["line"] == _line(ws, "- item: oncall.dashboard-access")
    assert "attestation of oncall.dashboard-access is new or changed in this pull request" in f["message"]
    assert "waiting for carol's approval" in f["message"]
    assert run.code == 1
    run2 = _run(ws, base, head, standin_factory, webhook_examples, "oncall.dashboard-access",
                [_review("carol", head)])
    assert _item(run2, "oncall.dashboard-access")["status"] == "pass"
