"""Reading the GitHub evidence records (``gate/github/evidence.py``) for the checks that need them.

Every check here is a pure function of ``RunInfo.github`` (a :class:`GitHubEvidence`, gathered
once per run by the Action), ``RunInfo.pr``, the configuration and the clock.

Missing evidence, decided once for all of them:

- no GitHub evidence at all (plain ``check``, or no token) → ``unverified``, saying so;
- a part that GitHub did not answer (``GitHubEvidence.errors``) → the item fails closed
  (``fail``, "re-run the gate"), except the promotion-time items, which only ``promote``
  judges strictly: they are ``unverified`` with the reason.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass

from gate.context import RunInfo
from gate.github.evidence import Deployment, GitHubEvidence, Review
from gate.model import Finding, Result, failed, unverified

NO_PR = "no pull request to judge"
PASSING = frozenset({"success", "neutral", "skipped"})
FAILING = frozenset({"failure", "cancelled", "timed_out", "action_required", "stale", "error",
                     "startup_failure"})


def evidence(run: RunInfo) -> GitHubEvidence | None:
    ev = run.github
    return ev if isinstance(ev, GitHubEvidence) else None


def no_github(run: RunInfo, what: str) -> Result | None:
    """``unverified`` when this run has no GitHub evidence (offline, no token), else None."""
    ev = evidence(run)
    if ev is None:
        return unverified(f"no GitHub evidence in this run ({run.mode} mode reads files only); {what}: read from "
                          "GitHub by `prodgate pr` and `prodgate promote`")
    if "github" in ev.errors:
        return unverified(f"{ev.errors['github']}: {what} cannot be read")
    return None


def fetch_failed(ev: GitHubEvidence, keys: tuple[str, ...], what: str, strict: bool = True) -> Result | None:
    """The item's answer when a part of the evidence could not be fetched (None when all came)."""
    bad = [(k, ev.errors[k]) for k in keys if k in ev.errors]
    if not bad:
        return None
    why = "; ".join(f"{k}: {v}" for k, v in bad)
    if not strict:
        return unverified(f"GitHub did not answer for {what} ({why})")
    return failed(Finding(f"GitHub did not answer for {what} ({why}): the item fails closed; re-run the gate"),
                  reason="evidence could not be fetched")


def head_sha(run: RunInfo) -> str:
    ev = evidence(run)
    if run.pr is not None and run.pr.head_sha:
        return run.pr.head_sha
    return ev.sha if ev is not None else ""


def short(sha: str) -> str:
    return sha[:7] if sha else "(unknown commit)"


# -- reviews --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Standing:
    """A reviewer's standing review: the latest that is not COMMENTED (or PENDING)."""

    user: str
    review: Review

    @property
    def state(self) -> str:
        return self.review.state.upper()


def standing_reviews(reviews: tuple[Review, ...], author: str) -> list[Standing]:
    """Per reviewer other than the author, the latest non-comment review (``reviews`` are in
    GitHub's order, chronological). DISMISSED reviews are returned too: they count as
    nothing, and callers skip them."""
    latest: dict[str, Review] = {}
    names: dict[str, str] = {}
    for r in reviews:
        state = r.state.upper()
        if state in ("COMMENTED", "PENDING") or not r.user:
            continue
        key = r.user.lower()
        if key == author.lower():
            continue
        latest[key] = r
        names[key] = r.user
    return [Standing(names[k], latest[k]) for k in latest]


def approvals(run: RunInfo, reviews: tuple[Review, ...]) -> tuple[list[Standing], list[Standing], list[Standing]]:
    """(counted approvals, stale approvals, outstanding change requests) of the PR."""
    pr = run.pr
    assert pr is not None
    stale_rule = bool(run.config.get("approval", "dismiss_stale"))
    good: list[Standing] = []
    stale: list[Standing] = []
    changes: list[Standing] = []
    for s in standing_reviews(reviews, pr.author):
        if s.state == "APPROVED":
            if stale_rule and pr.head_sha and s.review.commit_id and s.review.commit_id != pr.head_sha:
                stale.append(s)
            else:
                good.append(s)
        elif s.state == "CHANGES_REQUESTED":
            changes.append(s)
    return good, stale, changes


# -- check runs and statuses -------------------------------------------------------------------
@dataclass(frozen=True)
class Ci:
    """One check run or commit status on the head commit, as pass / fail / pending."""

    name: str
    kind: str  # "check run" or "status"
    outcome: str  # pass, fail, pending
    detail: str  # the conclusion or state
    url: str

    def describe(self) -> str:
        link = f": {self.url}" if self.url else ""
        return f"{self.kind} '{self.name}' {self.detail}{link}"


def ci_results(ev: GitHubEvidence, exclude: str | None = None, commit: bool = False) -> list[Ci]:
    """The head commit's check runs and statuses; with ``commit``, those of the evaluated commit
    (``GitHubEvidence.sha``) when they were read separately (promote: the merged commit)."""
    runs, statuses = ev.check_runs, ev.statuses
    if commit and ev.commit_check_runs is not None:
        runs = ev.commit_check_runs
    if commit and ev.commit_statuses is not None:
        statuses = ev.commit_statuses
    out: list[Ci] = []
    for c in runs:
        if exclude is not None and c.name == exclude:
            continue
        if c.status != "completed":
            out.append(Ci(c.name, "check run", "pending", f"is {c.status.replace('_', ' ') or 'not started'}", c.url))
            continue
        concl = (c.conclusion or "").lower()
        outcome = "pass" if concl in PASSING else "fail"
        out.append(Ci(c.name, "check run", outcome, f"concluded {concl or 'without a conclusion'}", c.url))
    for s in statuses:
        if exclude is not None and s.context == exclude:
            continue
        state = s.state.lower()
        outcome = "pass" if state == "success" else "pending" if state == "pending" else "fail"
        out.append(Ci(s.context, "status", outcome, f"is {state or 'unknown'}", s.url))
    return out


def matching(results: list[Ci], patterns: list[str]) -> list[Ci]:
    return [r for r in results if any(fnmatch.fnmatchcase(r.name, p) for p in patterns)]


def ci_fetch_keys() -> tuple[str, ...]:
    return ("check_runs", "statuses")


# -- deployments -----------------------------------------------------------------------------------
def environment(run: RunInfo, service: str, stage: str) -> str:
    template = str(run.config.get("deployments", "environment"))
    return template.replace("{service}", service).replace("{stage}", stage)


@dataclass(frozen=True)
class StageDeployments:
    """The deployment records of one stage's environment, as read in this run."""

    env: str
    evidence: GitHubEvidence
    #: newest first; None when this run did not read them
    deployments: tuple[Deployment, ...] | None


def stage_deployments(run: RunInfo, service: str, stage: str) -> StageDeployments | Result:
    """The deployments of ``service`` in ``stage``, or the item's answer when they cannot be had
    (no GitHub evidence, or GitHub did not answer: ``unverified`` — these are promotion-time items)."""
    env = environment(run, service, stage)
    missing = no_github(run, f"the deployments of {env}")
    if missing is not None:
        return missing
    ev = evidence(run)
    if ev is None:  # no_github answered already; kept for the type checker
        return unverified(f"the deployments of {env} were not read in this run")
    bad = fetch_failed(ev, (f"deployments:{env}",), f"the deployments of {env}", strict=False)
    if bad is not None:
        return bad
    return StageDeployments(env, ev, deployments(ev, env))


def deployments(ev: GitHubEvidence, env: str) -> tuple[Deployment, ...] | None:
    """Deployments of ``env``, newest first; None when they were not read in this run."""
    return ev.deployments.get(env)


def since(d: Deployment) -> dt.datetime:
    """When the deployment went live: its success status's time, else its creation."""
    return d.state_at or d.created_at


def duration(td: dt.timedelta) -> str:
    mins = max(0, int(td.total_seconds() // 60))
    h, m = divmod(mins, 60)
    if h and m:
        return f"{h}h {m:02d}m"
    return f"{h}h" if h else f"{m}m"


def judge_named(run: RunInfo, ev: GitHubEvidence, patterns: list[str], key: str, what: str,
                strict: bool, commit: bool = False) -> Result:
    """The checks whose names match ``patterns`` (config ``ci.<key>``) on the head commit (with
    ``commit``: on the evaluated commit when its checks were read): each must have concluded
    ``success`` (neutral or skipped prove nothing here)."""
    from gate.model import passed, pending

    own = bool(commit and ev.sha and (ev.commit_check_runs is not None or ev.commit_statuses is not None))
    sha = ev.sha if own else head_sha(run)
    keys = ("commit_check_runs", "commit_statuses") if own else ci_fetch_keys()
    bad = fetch_failed(ev, keys, f"the check runs and statuses of {short(sha)}", strict=strict)
    if bad is not None:
        return bad
    found = matching(ci_results(ev, exclude=run.config.check_name, commit=commit), patterns)
    globs = ", ".join(patterns) or "(none)"
    if not found:
        msg = (f"no {what} check ran on {short(sha)} (ci.{key}: {globs}): run it in CI on this commit, or set "
               f"ci.{key} to the names of the checks that prove it")
        if run.mode == "promote" or strict:
            return failed(Finding(msg))
        return pending(f"no {what} check has run on {short(sha)} yet (ci.{key}: {globs})")
    findings = [Finding(f"{r.describe()} on {short(sha)}: the {what} check must succeed")
                for r in found if r.outcome == "fail" or (r.outcome == "pass" and r.detail not in
                                                          ("concluded success", "is success"))]
    if findings:
        return failed(*findings)
    waiting = [r for r in found if r.outcome == "pending"]
    if waiting:
        return pending(f"waiting for {', '.join(f'{r.name} ({r.detail})' for r in waiting)} on {short(sha)}")
    return passed(f"{', '.join(r.name for r in found)} concluded success on {short(sha)}")


def stamp(t: dt.datetime) -> str:
    """``2026-11-29 12:00 UTC``."""
    return t.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
