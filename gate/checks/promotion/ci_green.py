"""A change-level item. Every check run and every commit status on the PR's head commit — and in `promote`, on the promoted commit itself (the merge commit) too — has concluded successfully. Not CI evidence: the gate's own check run (`check_name`, default `prod-readiness`); the jobs of the workflow running the gate (its workflow run and that workflow's earlier runs on the same commit, found through the Actions API: the gate's own job fails whenever the gate blocks); names matching `ci.ignore`; a check run superseded by a newer one of the same name and app (a re-run), a status superseded by a newer one of the same context ([configuration.md](../configuration.md#what-counts-as-ci-evidence-ci)):

| conclusion / state | outcome |
|---|---|
| `success`, `neutral`, `skipped` (check runs); `success` (statuses) | passes |
| `failure`, `cancelled`, `timed_out`, `action_required`, `stale`; status `failure`/`error` | `fail`, one finding per check: its name, conclusion and link |
| `queued`, `in_progress`, `waiting`, status `pending` | `pending` (the reason lists what it waits for) |

Every glob of `ci.required` (fnmatch patterns, case-sensitive) must match the name of some check run or status context, else `fail`: "required check X never ran". The gate's own check run never satisfies a required pattern. Failures win over pending. With nothing but the gate's own check on the commit and nothing required, the item passes with a notice: set `ci.required` so that a CI that never started cannot pass (branch protection's required checks are not readable with the Actions token; GitHub's combined status is `pending` when there are no statuses at all, so the gate reads statuses and check runs separately).

No pull request and no GitHub evidence (plain `check`) → `unverified`. Check runs or statuses that GitHub did not return — in `promote`, those of the promoted commit too when it is not the PR's head (the head's never stand in for them) — or the gate's own workflow run that it could not read (the workflow needs `permissions: actions: read`) → `fail` (closed): re-run the gate.

## Evidence

github: `GET /commits/{sha}/check-runs` and `GET /commits/{sha}/status` on the PR's head sha (`pull_request.head.sha`, not the merge commit), in `GitHubEvidence.check_runs` / `statuses`.

## How to fix

Open each failing check's link and fix it; re-run cancelled or timed-out jobs. For "never ran", make the workflow that runs it trigger on pull requests (or correct the pattern in `ci.required`). While anything is pending the gate's check run stays `in_progress` and the gate runs again when the CI workflows complete (`workflow_run`).
"""

from __future__ import annotations

import fnmatch

from gate.checks._github import (
    NO_PR,
    Ci,
    ci_fetch_keys,
    ci_results,
    head_sha,
    ignored_names,
    promoted_commit_unread,
    require,
    require_fetched,
    short,
)
from gate.context import ChangeCtx
from gate.model import Finding, Level, Result, Unavailable, failed, passed, pending, unverified


def check(ctx: ChangeCtx) -> Result:
    run = ctx.run
    try:
        ev = require(run, "the head commit's check runs and statuses")
    except Unavailable as missing:
        if run.pr is not None:
            raise
        return unverified(f"{NO_PR} ({missing.result.reason})")
    sha = head_sha(run)
    if not sha:
        return unverified(f"{NO_PR}: no head commit to read check runs of")
    require_fetched(ev, ci_fetch_keys(), f"the check runs and statuses of {short(sha)}")
    own = run.config.check_name
    results = ci_results(ev, ignored_names(run))
    findings: list[Finding] = []
    for r in results:
        if r.outcome == "fail":
            findings.append(Finding(f"{r.describe()} on {short(sha)}: fix it and re-run it"))
    # promote: the promoted commit (the merge commit) has checks of its own
    merged: list[Ci] = []
    if ev.sha and ev.sha != sha and (run.mode == "promote"
                                     or ev.commit_check_runs is not None or ev.commit_statuses is not None
                                     or "commit_check_runs" in ev.errors or "commit_statuses" in ev.errors):
        what = f"the check runs and statuses of the promoted commit {short(ev.sha)}"
        require_fetched(ev, ("commit_check_runs", "commit_statuses"), what)
        if (unread := promoted_commit_unread(run, ev)) is not None:
            # never the head's checks in their place
            return failed(Finding(f"{what} were not read ({unread}): the item fails closed; re-run the gate"),
                          reason="evidence could not be fetched")
        merged = ci_results(ev, ignored_names(run), commit=True)
        for r in merged:
            if r.outcome == "fail":
                findings.append(Finding(f"{r.describe()} on the promoted commit {short(ev.sha)}: fix it and re-run it"))
    names = [r.name for r in results]
    for pat in run.config.ci.required:
        if not any(fnmatch.fnmatchcase(n, pat) for n in names):
            findings.append(Finding(f"required check {pat} never ran on {short(sha)} (ci.required): make the "
                                    "workflow that runs it trigger on this pull request"))
    if findings:
        return failed(*findings)
    waiting = [r for r in results + merged if r.outcome == "pending"]
    if waiting:
        what = ", ".join(f"{r.name} ({r.detail})" for r in waiting[:10])
        more = f" and {len(waiting) - 10} more" if len(waiting) > 10 else ""
        return pending(f"waiting for {len(waiting)} check(s) on {short(sha)}: {what}{more}")
    if not results:
        return passed(f"no check run or status other than {own} on {short(sha)}",
                      Finding(f"nothing but {own} reported on {short(sha)}: set ci.required so that a CI that "
                              "never started cannot pass", level=Level.NOTICE))
    runs = sum(1 for r in results if r.kind == "check run")
    return passed(f"{runs} check run(s) and {len(results) - runs} status(es) on {short(sha)} concluded "
                  f"successfully ({own} excluded)")
