"""promotion.ci-green: No CI failures across all convention checks, typecheck, tests, build, drift checks.

Every check run and every commit status on the head commit must have concluded ``success``,
``neutral`` or ``skipped``; in ``promote``, those of the promoted commit itself (the merge commit)
too. Not CI evidence: the gate's own check run (``check_name``), the jobs of the workflow running
the gate (its run and the workflow's earlier runs on the same commit: the gate's own job fails
whenever the gate blocks), names matching ``ci.ignore``, and runs or statuses superseded by a
newer one of the same name (and app) — a re-run counts, not the run it replaced. A failure,
cancellation, timeout, ``action_required`` (or a status in ``failure``/``error``) fails, one
finding per check with its link; anything queued or in progress makes the item ``pending``.
Every glob of ``ci.required`` must match some check run or status, else ``fail`` ("required
check X never ran"). With nothing ran and nothing required, the item passes with a notice
(set ``ci.required`` so that a CI that never started cannot pass).
"""

from __future__ import annotations

import fnmatch

from gate.checks.promotion._github import (
    NO_PR,
    Ci,
    ci_fetch_keys,
    ci_results,
    evidence,
    fetch_failed,
    head_sha,
    ignored_names,
    no_github,
    short,
)
from gate.context import ChangeCtx
from gate.model import Finding, Level, Result, failed, passed, pending, unverified


def check(ctx: ChangeCtx) -> Result:
    run = ctx.run
    missing = no_github(run, "the head commit's check runs and statuses")
    if missing is not None:
        return unverified(f"{NO_PR} ({missing.reason})") if run.pr is None else missing
    ev = evidence(run)
    assert ev is not None
    sha = head_sha(run)
    if not sha:
        return unverified(f"{NO_PR}: no head commit to read check runs of")
    bad = fetch_failed(ev, ci_fetch_keys(), f"the check runs and statuses of {short(sha)}")
    if bad is not None:
        return bad
    own = run.config.check_name
    results = ci_results(ev, ignored_names(run))
    findings: list[Finding] = []
    for r in results:
        if r.outcome == "fail":
            findings.append(Finding(f"{r.describe()} on {short(sha)}: fix it and re-run it"))
    # promote: the promoted commit (the merge commit) has checks of its own
    merged: list[Ci] = []
    if ev.sha and ev.sha != sha and (ev.commit_check_runs is not None or ev.commit_statuses is not None
                                     or "commit_check_runs" in ev.errors or "commit_statuses" in ev.errors):
        bad = fetch_failed(ev, ("commit_check_runs", "commit_statuses"),
                           f"the check runs and statuses of the promoted commit {short(ev.sha)}")
        if bad is not None:
            return bad
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
