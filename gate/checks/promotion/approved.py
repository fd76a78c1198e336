"""A change-level item (one per pull request). The pull request has at least `approval.min_approvals` (default 1) approvals from reviewers other than its author:

- per reviewer, the latest review that is not `COMMENTED` (nor a draft `PENDING`) is the one that counts, in GitHub's (chronological) order; a later comment does not undo an approval;
- a `DISMISSED` review counts as nothing: a dismissed approval is no approval, a dismissed change request no longer blocks;
- any reviewer whose standing review is `CHANGES_REQUESTED` fails the item, however many approvals there are (a change request on an older commit still stands, as on GitHub);
- with `approval.dismiss_stale` (default `true`) an approval counts only when its `commit_id` is the PR's current head commit; an approval of an older commit is reported ("alice approved an older commit … ask alice to re-approve");
- the author's own reviews never count, nor a bot's, nor those of a user without write access (GitHub's rule for required reviews): a review counts when its `author_association` is `OWNER`, `MEMBER` or `COLLABORATOR`, otherwise the gate asks the collaborator permission API (`admin`, `maintain`, `write` count);
- a review whose `commit_id` is null (GitHub no longer knows its commit: force-pushed away or garbage-collected) is stale;
- in a merge queue (`merge_group`) the group's commit is judged for CI, but approvals are judged against the PR's own head (the PR is found from the group's `head_ref`).

| situation | status |
|---|---|
| enough counted approvals, no outstanding change request | `pass` (who approved, on which commit) |
| too few, or a change request outstanding | `fail`, one finding per change request and one saying what is missing |
| no pull request (plain `check`, or a promoted commit that no PR merged into the default branch brought: an open PR, or one merged into another branch, does not count) | `unverified`: "no pull request to judge" (blocks `promote`) |
| no GitHub token | `unverified` |
| GitHub did not return the reviews (after the client's retries) | `fail` (closed): re-run the gate |

## Evidence

github: `GET /repos/{o}/{r}/pulls/{n}/reviews`, gathered once per run into `GitHubEvidence.reviews`; the PR's author and head sha from `PullRequestEvidence`. The findings carry no file position (nothing in the repository to change).

## How to fix

Ask a reviewer other than the author to approve the current head commit; after pushing new commits, ask for a re-review (with `dismiss_stale`). Resolve change requests and have the reviewer approve, or have the review dismissed. The gate re-runs on `pull_request_review` events.
"""

from __future__ import annotations

from gate.checks._github import NO_PR, approvals, require, require_fetched, short
from gate.context import ChangeCtx
from gate.model import Finding, Result, failed, passed, unverified


def check(ctx: ChangeCtx) -> Result:
    run = ctx.run
    if run.pr is None:
        return unverified(f"{NO_PR}: approvals are reviews of a pull request")
    ev = require(run, "the pull request's reviews")
    if run.pr.number is None:
        return unverified(f"{NO_PR}: commit {short(run.pr.head_sha)} has no pull request number to read reviews of")
    require_fetched(ev, ("reviews",), f"the reviews of pull request #{run.pr.number}")
    need = run.config.approval.min_approvals
    got = approvals(run, ev)
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
