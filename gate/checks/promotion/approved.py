"""promotion.approved: PR approved by reviewer.

At least ``approval.min_approvals`` (default 1) approvals from reviewers other than the PR's
author. Per reviewer, the latest review that is not ``COMMENTED`` is the one that counts
(``DISMISSED`` counts as nothing); any outstanding ``CHANGES_REQUESTED`` fails. With
``approval.dismiss_stale`` (default true) an approval counts only when it was given on the PR's
current head commit. No pull request (plain ``check``, or a promoted commit no PR brought) →
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
    need = int(run.config.get("approval", "min_approvals"))
    good, stale, changes = approvals(run, ev.reviews)
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
            parts.append(f"{s.user} approved an older commit {short(s.review.commit_id)}, not the head "
                         f"{short(pr.head_sha)} (approval.dismiss_stale): ask {s.user} to re-approve")
        own = [r for r in ev.reviews if r.state.upper() == "APPROVED" and r.user.lower() == pr.author.lower()]
        if own:
            parts.append(f"an approval by the author {pr.author} does not count")
        if not good and not stale and not own:
            parts.append("request a review from someone other than the author")
        findings.append(Finding("; ".join(parts)))
    if findings:
        return failed(*findings)
    who = ", ".join(f"{s.user} on {short(s.review.commit_id)}" for s in good)
    if need == 0 and not good:
        return passed("no approval required (approval.min_approvals: 0) and no outstanding change request")
    return passed(f"approved by {who} ({len(good)} of {need} required), no outstanding change request")
