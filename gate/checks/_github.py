"""Reading the GitHub evidence records (``gate/github/evidence.py``) for the checks that need them
(promotion, deployment and conventions checks).

Every check here is a pure function of ``RunInfo.github`` (a :class:`GitHubEvidence`, gathered
once per run by the Action), ``RunInfo.pr``, the configuration and the clock. What is pure over
the evidence alone (who approved, write access, deployments) is in ``gate/github/reviews.py``.

Missing evidence, decided once for all of them: :func:`require` and :func:`require_fetched`
raise :class:`~gate.model.Unavailable`, which the engine reports as the item's result:

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
from gate.github import reviews
from gate.github.evidence import CheckRun, CommitStatus, Deployment, GitHubEvidence
from gate.model import Finding, Result, Unavailable, failed, passed, pending, unverified

NO_PR = "no pull request to judge"
PASSING = frozenset({"success", "neutral", "skipped"})
FAILING = frozenset({"failure", "cancelled", "timed_out", "action_required", "stale", "error",
                     "startup_failure"})


def evidence(run: RunInfo) -> GitHubEvidence | None:
    """The run's GitHub evidence, None when it has none (for a check that can do without)."""
    return reviews.evidence(run.github)


def require(run: RunInfo, what: str) -> GitHubEvidence:
    """The run's GitHub evidence; :class:`Unavailable` (``unverified``) when this run has none
    (offline, no token) or GitHub could not be read at all. ``what`` names what the item reads."""
    ev = evidence(run)
    if ev is None:
        raise Unavailable(unverified(f"no GitHub evidence in this run ({run.mode} mode reads files only); {what}: "
                                     "read from GitHub by `prodgate pr` and `prodgate promote`"))
    if "github" in ev.errors:
        raise Unavailable(unverified(f"{ev.errors['github']}: {what} cannot be read"))
    return ev


def require_fetched(ev: GitHubEvidence, keys: tuple[str, ...], what: str, strict: bool = True) -> None:
    """:class:`Unavailable` when a part of the evidence (``keys`` of ``GitHubEvidence.errors``)
    could not be fetched: a failure that fails closed, or with ``strict`` false ``unverified``."""
    bad = [(k, ev.errors[k]) for k in keys if k in ev.errors]
    if not bad:
        return
    why = "; ".join(f"{k}: {v}" for k, v in bad)
    if not strict:
        raise Unavailable(unverified(f"GitHub did not answer for {what} ({why})"))
    raise Unavailable(failed(Finding(f"GitHub did not answer for {what} ({why}): the item fails closed; re-run "
                                     "the gate"), reason="evidence could not be fetched"))


def head_sha(run: RunInfo) -> str:
    ev = evidence(run)
    if run.pr is not None and run.pr.head_sha:
        return run.pr.head_sha
    return ev.sha if ev is not None else ""


def short(sha: str) -> str:
    return sha[:7] if sha else "(unknown commit)"


# -- reviews --------------------------------------------------------------------------------------
def approvals(run: RunInfo, ev: GitHubEvidence) -> reviews.Approvals:
    """The PR's reviews sorted by what they count for (:func:`gate.github.reviews.approvals`),
    with ``approval.dismiss_stale``."""
    assert run.pr is not None
    return reviews.approvals(ev, run.pr, ev.reviews, run.config.approval.dismiss_stale)


# -- check runs and statuses -------------------------------------------------------------------
@dataclass(frozen=True)
class Ci:
    """One check run or commit status on the head commit, as pass / fail / pending."""

    name: str
    kind: str  # "check run" or "status"
    outcome: str  # pass, fail, pending
    detail: str  # the conclusion or state
    url: str
    #: the app that created a check run ("" for a status)
    app: str = ""

    def describe(self) -> str:
        link = f": {self.url}" if self.url else ""
        return f"{self.kind} '{self.name}' {self.detail}{link}"


def ignored_names(run: RunInfo) -> list[str]:
    """Name patterns of checks that are not CI evidence: the gate's own check run and ``ci.ignore``."""
    return [run.config.check_name, *run.config.ci.ignore]


def newest_runs(runs: tuple[CheckRun, ...]) -> list[CheckRun]:
    """Among check runs of one name and app, the newest (a re-run leaves the older run listed
    when it is in another check suite): the highest id, GitHub's ids grow with time."""
    best: dict[tuple[str, str], CheckRun] = {}
    for c in runs:
        key = (c.name, c.app)
        cur = best.get(key)
        if cur is None or (c.id or 0, c.started_at or _EPOCH) > (cur.id or 0, cur.started_at or _EPOCH):
            best[key] = c
    return [c for c in runs if best.get((c.name, c.app)) is c]


def newest_statuses(statuses: tuple[CommitStatus, ...]) -> list[CommitStatus]:
    """Among statuses of one context, the newest (by time, then id; else the first listed)."""
    best: dict[str, CommitStatus] = {}
    for s in statuses:
        cur = best.get(s.context)
        if cur is None or (s.updated_at or _EPOCH, s.id or 0) > (cur.updated_at or _EPOCH, cur.id or 0):
            best[s.context] = s
    return [s for s in statuses if best.get(s.context) is s]


_EPOCH = dt.datetime.fromtimestamp(0, dt.UTC)


def ci_results(ev: GitHubEvidence, ignore: list[str] | None = None, commit: bool = False) -> list[Ci]:
    """The head commit's check runs and statuses; with ``commit``, those of the evaluated commit
    (``GitHubEvidence.sha``) when they were read separately (promote: the merged commit).
    Not CI evidence: the jobs of the workflow running the gate (``own_suites``), names matching a
    pattern of ``ignore``, and runs or statuses superseded by a newer one of the same name."""
    runs, statuses = ev.check_runs, ev.statuses
    if commit and ev.commit_check_runs is not None:
        runs = ev.commit_check_runs
    if commit and ev.commit_statuses is not None:
        statuses = ev.commit_statuses
    pats = list(ignore or [])

    def skip(name: str) -> bool:
        return any(fnmatch.fnmatchcase(name, p) for p in pats)

    out: list[Ci] = []
    for c in newest_runs(tuple(r for r in runs if not (r.suite_id is not None and r.suite_id in ev.own_suites))):
        if skip(c.name):
            continue
        if c.status != "completed":
            out.append(Ci(c.name, "check run", "pending", f"is {c.status.replace('_', ' ') or 'not started'}", c.url,
                          c.app))
            continue
        concl = (c.conclusion or "").lower()
        outcome = "pass" if concl in PASSING else "fail"
        out.append(Ci(c.name, "check run", outcome, f"concluded {concl or 'without a conclusion'}", c.url, c.app))
    for s in newest_statuses(statuses):
        if skip(s.context):
            continue
        state = s.state.lower()
        outcome = "pass" if state == "success" else "pending" if state == "pending" else "fail"
        out.append(Ci(s.context, "status", outcome, f"is {state or 'unknown'}", s.url))
    return out


def matching(results: list[Ci], patterns: list[str]) -> list[Ci]:
    return [r for r in results if any(fnmatch.fnmatchcase(r.name, p) for p in patterns)]


def ci_fetch_keys() -> tuple[str, ...]:
    return ("check_runs", "statuses", "own_workflow")


# -- deployments -----------------------------------------------------------------------------------
def environment(run: RunInfo, service: str, stage: str) -> str:
    return run.config.deployments.environment_of(service, stage)


@dataclass(frozen=True)
class StageDeployments:
    """The deployment records of one stage's environment, as read in this run."""

    env: str
    evidence: GitHubEvidence
    #: newest first; None when this run did not read them
    deployments: tuple[Deployment, ...] | None


def stage_deployments(run: RunInfo, service: str, stage: str) -> StageDeployments:
    """The deployments of ``service`` in ``stage``; :class:`Unavailable` when they cannot be had
    (no GitHub evidence, or GitHub did not answer: ``unverified`` — these are promotion-time items)."""
    env = environment(run, service, stage)
    ev = require(run, f"the deployments of {env}")
    require_fetched(ev, (f"deployments:{env}",), f"the deployments of {env}", strict=False)
    return StageDeployments(env, ev, reviews.deployments(ev, env))


def duration(td: dt.timedelta) -> str:
    mins = max(0, int(td.total_seconds() // 60))
    h, m = divmod(mins, 60)
    if h and m:
        return f"{h}h {m:02d}m"
    return f"{h}h" if h else f"{m}m"


def promoted_commit_unread(run: RunInfo, ev: GitHubEvidence) -> str | None:
    """In ``promote``, when the promoted commit (``GitHubEvidence.sha``, the merged commit) is not
    the pull request's head and its own check runs and statuses (``commit_check_runs``,
    ``commit_statuses``) were not both read: what could not be read (GitHub's answer where there
    is one). None otherwise: in ``pr``, or when the promoted commit is the head (its checks are
    ``check_runs``/``statuses``), or when both were read. The head's checks never stand in for
    the promoted commit's."""
    if run.mode != "promote" or not ev.sha or ev.sha == head_sha(run):
        return None
    if ev.commit_check_runs is not None and ev.commit_statuses is not None:
        return None
    why = "; ".join(f"{k}: {ev.errors[k]}" for k in ("commit_check_runs", "commit_statuses") if k in ev.errors)
    return why or "not read in this run"


def judge_named(run: RunInfo, ev: GitHubEvidence, patterns: list[str], key: str, what: str,
                strict: bool, commit: bool = False, app: str | None = None) -> Result:
    """The checks whose names match ``patterns`` (config ``ci.<key>``) on the head commit (with
    ``commit``: on the evaluated commit when its checks were read): each must have concluded
    ``success`` (neutral or skipped prove nothing here).

    With ``commit``, in ``promote``, the promoted commit's own checks must have been read when it
    is not the PR's head (:func:`promoted_commit_unread`): else ``unverified`` (``fail`` with
    ``strict``) with a finding saying so — the PR head's checks prove nothing about the commit
    that is promoted."""
    if commit and (unread := promoted_commit_unread(run, ev)) is not None:
        pull = f" of pull request #{run.pr.number}" if run.pr is not None and run.pr.number is not None else ""
        head = f", not on the head {short(head_sha(run))}{pull}"
        finding = Finding(
            f"the check runs and statuses of the promoted commit {short(ev.sha)} could not be read ({unread}): "
            f"the {what} check must have succeeded on the commit that is promoted{head}, and a run on another "
            "commit proves nothing about it; re-run the promotion (the workflow needs `permissions: checks: read, "
            "statuses: read`)")
        if strict:
            return failed(finding, reason="evidence could not be fetched")
        return unverified(f"the check runs and statuses of the promoted commit {short(ev.sha)} could not be read",
                          finding)
    own = bool(commit and ev.sha and (ev.commit_check_runs is not None or ev.commit_statuses is not None))
    sha = ev.sha if own else head_sha(run)
    keys = ("commit_check_runs", "commit_statuses", "own_workflow") if own else ci_fetch_keys()
    require_fetched(ev, keys, f"the check runs and statuses of {short(sha)}", strict=strict)
    found = matching(ci_results(ev, ignored_names(run), commit=commit), patterns)
    globs = ", ".join(patterns) or "(none)"
    others: list[Ci] = []
    if app is not None:
        others = [r for r in found if r.kind != "check run" or r.app != app]
        found = [r for r in found if r.kind == "check run" and r.app == app]
    if not found:
        msg = (f"no {what} check ran on {short(sha)} (ci.{key}: {globs}): run it in CI on this commit, or set "
               f"ci.{key} to the names of the checks that prove it")
        if others:
            named = ", ".join(f"{r.kind} '{r.name}'" + (f" of app {r.app}" if r.app else "") for r in others[:5])
            msg = (f"no {what} check of the app {app} (ci.{key}_app) ran on {short(sha)}; {named} do(es) not count: "
                   f"only check runs created by {app} prove {what} (ci.{key}: {globs})")
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
