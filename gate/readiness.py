"""Waivers and attestations recorded in ``service.yaml`` under ``readiness``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from gate.catalog import ATTESTABLE, BY_ID
from gate.model import Finding, Level, Waiver
from gate.sources.yaml.parse import YamlDoc


def parse_date(value: object) -> dt.date | None:
    """A YAML date (``2027-01-31``) or timestamp, as a date; None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def waivers(doc: YamlDoc) -> list[Waiver]:
    out: list[Waiver] = []
    raw = doc.get(["readiness", "waivers"], [])
    if not isinstance(raw, list):
        return out
    for i, w in enumerate(raw):
        if not isinstance(w, dict) or not isinstance(w.get("item"), str):
            continue
        targets = w.get("targets") or []
        out.append(
            Waiver(
                item=w["item"],
                reason=str(w.get("reason") or ""),
                approved_by=str(w.get("approved_by") or ""),
                expires=str(w.get("expires") or ""),
                targets=tuple(str(t) for t in targets) if isinstance(targets, list) else (),
                line=doc.line(["readiness", "waivers", i]),
            )
        )
    return out


def waiver_problem(w: Waiver, today: dt.date, max_days: int | None = None) -> str | None:
    """Why a waiver does not count (None when it does)."""
    if w.item not in BY_ID:
        return f"waiver names unknown item {w.item!r}"
    missing = [k for k, v in (("reason", w.reason), ("approved_by", w.approved_by), ("expires", w.expires)) if not v.strip()]
    if missing:
        return f"waiver for {w.item} lacks {', '.join(missing)}; ignored"
    exp = parse_date(w.expires)
    if exp is None:
        return f"waiver for {w.item} has expires {w.expires!r}, not a date (YYYY-MM-DD); ignored"
    if exp < today:
        return f"waiver for {w.item} expired on {exp.isoformat()}; ignored (renew it with a new expiry, or fix the item)"
    if max_days is not None and (exp - today).days > max_days:
        return (f"waiver for {w.item} expires on {exp.isoformat()}, {(exp - today).days} days from today: longer than "
                f"waivers.max_days ({max_days}); refused (set expires no later than "
                f"{(today + dt.timedelta(days=max_days)).isoformat()})")
    return None


def day_start(day: dt.date, days_after: int, tz: dt.tzinfo) -> dt.datetime | None:
    """The start of the day ``days_after`` days after ``day`` in ``tz``; None past the calendar's
    end (a date like 9999-12-31 has no instant after it: nothing changes then)."""
    try:
        return dt.datetime.combine(day + dt.timedelta(days=days_after), dt.time(), tzinfo=tz)
    except OverflowError:
        return None


def waiver_ends(w: Waiver, tz: dt.tzinfo) -> dt.datetime | None:
    """The instant a (valid) waiver stops counting: the start of the day after ``expires`` (in
    the zone of the gate's clock, whose date the waiver is compared with)."""
    exp = parse_date(w.expires)
    if exp is None:
        return None
    return day_start(exp, 1, tz)


def expiry_warning(w: Waiver, today: dt.date, warn_days: int) -> str | None:
    """"expires in 5 days" for a valid waiver within ``warn_days`` of its expiry (None else)."""
    exp = parse_date(w.expires)
    if exp is None or exp < today or (exp - today).days > warn_days:
        return None
    left = (exp - today).days
    when = "today (its last day)" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
    return (f"waiver for {w.item} expires {when} ({exp.isoformat()}): fix the item, or renew the waiver with a "
            "new expiry and approval")


def covers(w: Waiver, f: Finding) -> bool:
    """Does the waiver cover this finding (a waiver without targets covers every finding)."""
    if not w.targets:
        return True
    for t in w.targets:
        if f.target is not None and t == f.target:
            return True
        if f.path is not None:
            path, _, line = t.partition(":")
            if path == f.path and (not line or (line.isdigit() and f.line == int(line))):
                return True
    return False


@dataclass(frozen=True)
class Attestation:
    ok: bool
    message: str  # what proved it, or why it does not count
    line: int | None = None
    at: dt.date | None = None
    #: the next instant the clock alone changes which attestations of the item count (one ages
    #: past ``max_age_days``, or a future-dated one comes due)
    changes_at: dt.datetime | None = None
    #: counts once the person it names approves the pull request (pr mode, see gate.countersign)
    pending: bool = False


def attestation(
    doc: YamlDoc, item: str, now: dt.datetime, max_age_days: int, pr_author: str | None,
    hold: Callable[[object], tuple[str, bool] | None] | None = None,
) -> Attestation:
    """The best attestation of ``item`` in ``doc``: the newest one that counts, else the reason
    the newest candidate does not."""
    if item not in ATTESTABLE:
        raise ValueError(f"{item} cannot be attested")
    raw = doc.get(["readiness", "attestations"], [])
    if not isinstance(raw, list):
        raw = []
    today = now.date()
    tz = now.tzinfo or dt.UTC
    best: Attestation | None = None
    problems: list[Attestation] = []
    edges: list[dt.datetime] = []
    for i, a in enumerate(raw):
        if not isinstance(a, dict) or a.get("item") != item:
            continue
        line = doc.line(["readiness", "attestations", i])
        by = a.get("by")
        at = parse_date(a.get("at"))
        if not isinstance(by, str) or not by.strip():
            problems.append(Attestation(False, f"attestation of {item} names no person (by)", line))
        elif at is None:
            problems.append(Attestation(False, f"attestation of {item} by {by} has no valid date (at: YYYY-MM-DD)", line))
        elif at > today:
            edges.append(dt.datetime.combine(at, dt.time(), tzinfo=tz))
            problems.append(Attestation(False, f"attestation of {item} by {by} is dated {at}, after the gate's clock ({today}); it does not count", line))
        elif (today - at).days > max_age_days:
            problems.append(Attestation(False, f"attestation of {item} by {by} on {at} is {(today - at).days} days old (max {max_age_days}); attest again", line))
        elif pr_author is not None and by.lower() == pr_author.lower():
            problems.append(Attestation(False, f"attestation of {item} is by {by}, the pull request's author; someone else must attest", line))
        elif hold is not None and (held := hold(a)) is not None:
            problems.append(Attestation(False, held[0], line, pending=held[1]))
        else:
            if (edge := day_start(at, max_age_days + 1, tz)) is not None:
                edges.append(edge)
            evidence = a.get("evidence")
            ev = f" ({evidence})" if isinstance(evidence, str) and evidence else ""
            cand = Attestation(True, f"attested by {by} on {at}{ev}", line, at)
            if best is None or (best.at is not None and at > best.at):
                best = cand
    from dataclasses import replace

    changes = min(edges) if edges else None
    if best is not None:
        return replace(best, changes_at=changes)
    waiting = [p for p in problems if p.pending]
    if waiting:
        return replace(waiting[-1], changes_at=changes)
    if problems:
        return replace(problems[-1], changes_at=changes)
    return Attestation(False, f"no attestation of {item} in service.yaml readiness.attestations")


def attestation_finding(a: Attestation, path: str, fallback_line: int) -> Finding:
    return Finding(a.message, path, a.line or fallback_line, level=Level.FAILURE)
