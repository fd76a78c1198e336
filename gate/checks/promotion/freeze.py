"""A change-level item. The gate's clock (the run's time, `--now` in tests) must not fall inside a freeze window: a one-off window, a weekly window, or an event of an iCalendar file of `freeze.calendars`. How windows are evaluated (zones, daylight-saving time, `.ics` recurrences, what goes stale) is in [docs/freeze-windows.md](../freeze-windows.md).

| situation | status |
|---|---|
| the clock is outside every window | `pass` (says when the next window opens) |
| inside a window, no override label | `fail`, one finding per window at its line (the window in `.github/prod-readiness.yml`, or the event's `BEGIN:VEVENT` in the `.ics`), saying until when |
| inside, the override label (`freeze.override.label`, default `freeze-exception`; compared regardless of case, as GitHub names labels) on the PR and a standing approval of the head commit by one of `freeze.override.approvers` | `pass`; the reason and a notice state the override, the window and who approved |
| inside, label set, the only candidate approval is from a member of a team GitHub refused to list | `fail` (the freeze keeps blocking): that approval is not assumed; the finding says which team, why, and which token is needed (the Action's `org-token` input, a token with `read:org`) |
| inside, label set, no approval from an approver | `fail` |
| a calendar of `freeze.calendars` is missing | `fail` at its line in the configuration (fails closed) |
| a calendar or window cannot be evaluated | `fail` at the calendar's line |
| a calendar could not be read from GitHub at the base commit | `fail` (closed), with the reason: re-run the gate |
| no pull request (plain `check`) | `unverified`: "no pull request to judge", saying whether the clock is inside a window |

Override approvers are GitHub logins (case-insensitive) or `org/team` slugs; team members come from `GET /orgs/{org}/teams/{team}/members`, read with the Action's `org-token` when given (the default token usually cannot read teams). Approvals are counted as for `promotion.approved` (author excluded, latest non-comment review, `dismiss_stale`).

## Evidence

config + clock: `freeze.*` read from the PR's base commit in `pr` mode (with the calendars: `GitHubEvidence.base_files`), so a PR can neither add the override approver nor edit the calendar that freezes it. github: the PR's labels, reviews and team memberships. Configuration errors (unknown zone, bad time, end before start, missing calendar when the repository is readable at load) are exit 2 naming the key and line.

## How to fix

Wait until the window ends (the finding says when, in the window's zone), or — for an urgent change — add the override label and get an approval from one of the override approvers on the current head commit. A verdict computed when the PR was opened goes stale: the workflow re-runs the gate on `merge_group`, on label and review events, and on a schedule while a window may open or close.
"""

from __future__ import annotations

import datetime as dt

from gate import freeze
from gate.checks._github import NO_PR, approvals, evidence, require, require_fetched
from gate.context import ChangeCtx, RunInfo
from gate.github.reviews import Standing
from gate.model import Finding, Level, Result, Unavailable, failed, passed, unverified


def _calendars(run: RunInfo) -> tuple[dict[str, str], list[Finding], list[str]]:
    """(path → text, findings for missing calendars, reasons a calendar could not be fetched)."""
    conf = run.config
    ev = evidence(run)
    texts: dict[str, str] = {}
    missing: list[Finding] = []
    unfetched: list[str] = []
    for i, path in enumerate(conf.freeze.calendars):
        line = conf.doc.line(["freeze", "calendars", i]) if conf.doc is not None else None
        if ev is not None and path in ev.base_files:
            text = ev.base_files[path]
            where = "at the pull request's base commit"
        elif ev is not None and f"base:{path}" in ev.errors:
            unfetched.append(f"{path}: {ev.errors[f'base:{path}']}")
            continue
        else:
            text = run.ws.text(path)
            where = "in the repository"
        if text is None:
            missing.append(Finding(f"freeze calendar {path} does not exist {where}: commit it, or remove it from "
                                   "freeze.calendars (a freeze that cannot be read fails closed)",
                                   conf.source, line, line))
        else:
            texts[path] = text
    return texts, missing, unfetched


def _when(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def check(ctx: ChangeCtx) -> Result:
    run = ctx.run
    conf = run.config
    texts, missing, unfetched = _calendars(run)
    if missing:
        return failed(*missing)
    if unfetched:
        # a freeze that cannot be read never lets a PR through: fail closed
        return failed(Finding("freeze calendar(s) could not be read at the base commit (" + "; ".join(unfetched)
                              + "): the freeze cannot be evaluated and the item fails closed; re-run the gate"),
                      reason="evidence could not be fetched")
    try:
        res = freeze.evaluate(conf.freeze, run.now, texts)
    except freeze.FreezeError as exc:
        return failed(Finding(f"{exc.message}: fix the freeze configuration (a freeze that cannot be evaluated "
                              "fails closed)", exc.path, exc.line, exc.line))
    edge = res.boundary
    if edge is None:
        return _judge(ctx, res)
    return _judge(ctx, res).until(edge.at, edge.why, edge.tz)


def _judge(ctx: ChangeCtx, res: freeze.Evaluation) -> Result:
    """The verdict at the clock; :func:`check` adds the next window boundary to it."""
    run = ctx.run
    conf = run.config
    now_s = _when(run.now)
    if not res.hits:
        nxt = ""
        if res.next is not None:
            name, start, tz = res.next
            nxt = f"; next: '{name}' from {freeze.fmt(start, tz)}"
        state = f"{now_s} is outside every freeze window ({res.windows} window(s) and calendar event(s)){nxt}"
        if run.pr is None:
            return unverified(f"{NO_PR}: {state}")
        return passed(state)
    hits = sorted(res.hits, key=lambda h: h.end, reverse=True)
    inside = "; ".join(f"{h.describe()} holds {now_s}" for h in hits)
    if run.pr is None:
        return unverified(f"{NO_PR}: {inside}")
    pr = run.pr
    label = conf.freeze.override.label
    approvers = conf.freeze.override.approvers
    who_may = ", ".join(approvers) if approvers else "nobody (freeze.override.approvers is empty)"
    if not conf.freeze.override.on(pr.labels):
        return failed(*(Finding(f"merging is frozen: {h.describe()} holds {now_s}; wait until "
                                f"{freeze.fmt(h.end, h.tz)}, or add the label '{label}' with an approval from "
                                f"{who_may}", h.path, h.line, h.line) for h in hits))
    try:
        ev = require(run, "the override's approvals")
    except Unavailable as missing:
        return unverified(f"{inside}; label '{label}' is set but {missing.result.reason}")
    require_fetched(ev, ("reviews",), f"the reviews of pull request #{pr.number} (freeze override)")
    good = approvals(run, ev).good
    verified: list[tuple[Standing, str]] = []
    unknown: list[tuple[Standing, str, str]] = []
    for s in good:
        for a in approvers:
            if "/" not in a:
                if a.lower() == s.user.lower():
                    verified.append((s, a))
                continue
            members = ev.team_members.get(a)
            if members is not None:
                if s.user.lower() in {m.lower() for m in members}:
                    verified.append((s, f"member of {a}"))
            else:
                refused = ("GitHub refused the team lookup (the token needs read:org: set the Action's org-token "
                           "input)" if a in ev.team_members else "the team was not looked up in this run")
                why = ev.errors.get(f"team:{a}", refused)
                unknown.append((s, a, why))
    if verified:
        names = ", ".join(dict.fromkeys(f"{s.user} ({how})" for s, how in verified))
        msg = f"freeze overridden: {inside}; label '{label}' on #{pr.number}, approved by {names}"
        return passed(msg, Finding(msg, level=Level.NOTICE))
    if unknown:
        detail = "; ".join(f"{s.user}'s membership of {team} could not be verified ({why})" for s, team, why in unknown)
        return failed(*(Finding(f"merging is frozen: {h.describe()} holds {now_s}; the label '{label}' is set and "
                                f"approved by a possible override approver, but {detail}: the override is not "
                                "assumed. Give the Action an org-token input (a token with read:org that can read "
                                "the team's members) and re-run the gate", h.path, h.line, h.line) for h in hits))
    approved_by = ", ".join(s.user for s in good) or "nobody"
    return failed(*(Finding(f"merging is frozen: {h.describe()} holds {now_s}; the label '{label}' is set but no "
                            f"approver of freeze.override.approvers ({who_may}) approved #{pr.number} on its head "
                            f"commit (approved by: {approved_by})", h.path, h.line, h.line) for h in hits))
