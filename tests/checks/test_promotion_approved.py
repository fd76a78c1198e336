"""promotion.approved: approvals from reviewers other than the author, on the head commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.github.evidence import Review
from gate.model import ItemResult, Status
from tests.checks.promotion_fixture import HEAD, OLD, change, evidence, pr, repo, review

ID = "promotion.approved"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return repo(tmp_path)


def judge(root: Path, *reviews: Review, config_text: str | None = None, **kw: object) -> ItemResult:
    p = pr(**kw)
    return change(root, ID, p=p, gh=evidence(p, reviews=tuple(reviews)), config_text=config_text)


def test_approved_on_head_passes(root: Path) -> None:
    r = judge(root, review("alice"))
    assert r.status == Status.PASS
    assert "approved by alice on a1a1a1a" in r.reason


def test_stale_approval_does_not_count(root: Path) -> None:
    r = judge(root, review("alice", commit=OLD))
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "alice approved an older commit b2b2b2b" in f.message and "re-approve" in f.message
    assert f.path is None and f.line is None


def test_stale_approval_counts_without_dismiss_stale(root: Path) -> None:
    r = judge(root, review("alice", commit=OLD), config_text="approval: {dismiss_stale: false}\n")
    assert r.status == Status.PASS


def test_changes_requested_then_approved_by_same_reviewer_passes(root: Path) -> None:
    r = judge(root, review("bob", "CHANGES_REQUESTED", OLD, 1), review("bob", "APPROVED", HEAD, 2))
    assert r.status == Status.PASS and "bob" in r.reason


def test_approved_then_changes_requested_fails(root: Path) -> None:
    r = judge(root, review("alice"), review("bob", "APPROVED", HEAD, 1), review("bob", "CHANGES_REQUESTED", HEAD, 2))
    assert r.status == Status.FAIL
    assert any("bob requested changes on pull request #42" in f.message for f in r.findings)


def test_outstanding_change_request_fails_despite_enough_approvals(root: Path) -> None:
    r = judge(root, review("alice"), review("carol", "CHANGES_REQUESTED", OLD))
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "carol requested changes" in f.message


def test_comment_after_approval_keeps_the_approval(root: Path) -> None:
    r = judge(root, review("alice", minute=1), review("alice", "COMMENTED", HEAD, 2))
    assert r.status == Status.PASS


def test_dismissed_approval_counts_as_nothing(root: Path) -> None:
    r = judge(root, review("alice", "DISMISSED"))
    assert r.status == Status.FAIL
    assert "0 counted approval(s)" in r.findings[0].message


def test_dismissed_change_request_no_longer_blocks(root: Path) -> None:
    r = judge(root, review("bob", "DISMISSED"), review("alice"))
    assert r.status == Status.PASS


def test_author_only_approval_fails(root: Path) -> None:
    r = judge(root, review("erin"), review("erin", "COMMENTED"))
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "by the author erin does not count" in f.message


def test_no_review_at_all_fails(root: Path) -> None:
    r = judge(root)
    assert r.status == Status.FAIL
    assert "request a review from someone other than the author" in r.findings[0].message


def test_min_approvals_two(root: Path) -> None:
    cfg = "approval: {min_approvals: 2}\n"
    assert judge(root, review("alice"), config_text=cfg).status == Status.FAIL
    r = judge(root, review("alice"), review("bob"), config_text=cfg)
    assert r.status == Status.PASS and "2 of 2 required" in r.reason


def test_no_pull_request_is_unverified(root: Path) -> None:
    r = change(root, ID, mode="check")
    assert r.status == Status.UNVERIFIED
    assert "no pull request to judge" in r.reason


def test_reviews_not_fetched_fail_closed(root: Path) -> None:
    p = pr()
    r = change(root, ID, p=p, gh=evidence(p, errors={"reviews": "GitHub answered 502"}))
    assert r.status == Status.FAIL
    assert "GitHub answered 502" in r.findings[0].message and "re-run" in r.findings[0].message


def test_no_token_is_unverified(root: Path) -> None:
    p = pr()
    r = change(root, ID, p=p, gh=evidence(p, errors={"github": "no GitHub token"}))
    assert r.status == Status.UNVERIFIED and "no GitHub token" in r.reason
