"""promotion.approved: PR approved by reviewer.

At least ``approval.min_approvals`` (default 1) approvals from reviewers other than the PR's
author who have write access to the repository (``author_association`` OWNER, MEMBER or
COLLABORATOR, else the collaborator permission API), never a bot. Per reviewer, the latest review that is not ``COMMENTED`` is the one that counts
(``DISMISSED`` counts as nothing); any outstanding ``CHANGES_REQUESTED`` fails. With
``approval.dismiss_stale`` (default true) an approval counts only when it was given on the PR's
current head commit (in a merge queue: the PR's head, not the group's commit); a review whose
``commit_id`` is null (its commit is gone) is stale. No pull request (plain ``check``, or a promoted commit no PR brought) →
``unverified``; reviews GitHub did not return → ``fail`` (closed), re-run the gate.
"""

from __future__ import annotations

from gate.checks.promotion._github import NO_PR, approvals, evidence, fetch_failed, no_github, short
from gate.context import ChangeCtx
from gate.model import Finding, Result, failed, passed, unverified


def check(ctx: ChangeCtx) -> Result:
    run = ctx.run
    missing = no_github(run, "the pull request's reviews")
    if run.pr is None:
        return unverified(f"{NO_PR}: approvals are reviews of a pull request")
    if missing is not None:
        return missing
    ev = evidence(run)
    assert ev is not None
    if run.pr.number is None:
        return unverified(f"{NO_PR}: commit {short(run.pr.head_sha)} has no pull request number to read reviews of")
    bad = fetch_failed(ev, ("reviews",), f"the reviews of pull request #{run.pr.number}")
    if bad is not None:
        return bad
    need = run.config.approval.min_approvals
    got = approvals(run, ev.reviews)
    good, stale, changes = got.good, got.stale, got.changes
    pr = run.pr
    findings: list[Finding] = []
    for s in changes:
        findings.append(Finding(f"{s.user} requested changes on pull request #{pr.number} "
                                f"(review on {short(s.review.commit_id)}): address them and ask {s.user} to "
                                "approve, or have the review dismissed"))
    if len(good) < need:
        have = ", ".join(s.user for s in good) or "none"
        parts = [f"pull request #{pr.number} has {len(good)} counted approval(s) ({have}); "
                 f"approval.min_approvals is {need}"]
        for s in stale:
            if not s.review.commit_id:
                parts.append(f"{s.user}'s approval names no commit (GitHub no longer knows the commit it was given "
                             f"on): ask {s.user} to approve the head {short(pr.review_sha)}")
                continue
            parts.append(f"{s.user} approved an older commit {short(s.review.commit_id)}, not the head "
                         f"{short(pr.review_sha)} (approval.dismiss_stale): ask {s.user} to re-approve")
        for _, why in got.ignored:
            parts.append(why)
        own = [r for r in ev.reviews if r.state.upper() == "APPROVED" and r.user.lower() == pr.author.lower()]
        if own:
            parts.append(f"an approval by the author {pr.author} does not count")
        if not good and not stale and not own and not got.ignored:
            parts.append("request a review from someone other than the author who has write access")
        findings.append(Finding("; ".join(parts)))
    if findings:
        return failed(*findings)
    who = ", ".join(f"{s.user} on {short(s.review.commit_id)}" for s in good)
    if need == 0 and not good:
        return passed("no approval required (approval.min_approvals: 0) and no outstanding change request")
    return passed(f"approved by {who} ({len(good)} of {need} required), no outstanding change request")
