"""How long a verdict stays true: ``valid_until`` in the report, its text and its marker.

Checks whose status the clock alone can change (a freeze window, a soak or monitor deadline, a
waiver's expiry, an attestation's age limit) return their next such instant on the result
(:meth:`gate.model.Result.until`); the engine folds them into :attr:`gate.model.Report.valid_until`,
the earliest one after the run. This module only says it: the JSON fields, one line for the text
and Markdown reports, and the machine-readable marker that the check run's summary carries and
``prodgate refresh`` (:mod:`gate.refresh`) reads back.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gate.model import Boundary, Report

#: ``[//]: # (prodgate:valid-until=2026-12-04T21:00:00Z item=promotion.freeze)`` (or ``=none``): a
#: Markdown link reference definition, which renders as nothing (an HTML comment would do too, but
#: the report's Markdown holds no raw HTML at all)
MARKER = re.compile(
    r"^\[//\]: # \(prodgate:valid-until=(?P<at>none|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)"
    r"(?: item=(?P<item>[a-z0-9.-]{1,80}))?(?: service=(?P<service>[A-Za-z0-9._-]{1,100}))?\)$",
    re.MULTILINE,
)
_SAFE = re.compile(r"[^A-Za-z0-9._-]")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def validity_json(b: Boundary | None) -> dict[str, Any]:
    """The report's top-level ``valid_until`` (ISO 8601 UTC or null) and why."""
    if b is None:
        return {"valid_until": None, "valid_until_reason": None}
    return {"valid_until": iso(b.at), "valid_until_reason": f"{_who(b)}{b.why}"}


def _who(b: Boundary) -> str:
    if not b.item:
        return ""
    return f"{b.service}: {b.item}: " if b.service else f"{b.item}: "


def local(b: Boundary) -> str:
    """``Fri 2026-12-04 16:00 America/New_York`` (the zone the boundary reads best in)."""
    try:
        tz: dt.tzinfo = ZoneInfo(b.tz)
        name = b.tz
    except (ZoneInfoNotFoundError, ValueError, OSError):
        tz, name = dt.UTC, "UTC"
    t = b.at.astimezone(tz)
    return f"{DAYS[t.weekday()]} {t:%Y-%m-%d %H:%M} {name}"


def line(report: Report) -> str:
    """``valid until Fri 2026-12-04 16:00 America/New_York: the Weekend freeze starts`` (or that
    nothing time-dependent lies ahead)."""
    b = report.valid_until
    if b is None:
        return "valid until: no time-dependent change ahead (no freeze window, deadline or expiry)"
    return f"valid until {local(b)} ({iso(b.at)}): {_who(b)}{b.why}"


def marker(report: Report) -> str:
    """The marker a later run reads back (never shown; holds no repository text)."""
    b = report.valid_until
    if b is None:
        return "[//]: # (prodgate:valid-until=none)"
    extra = f" item={b.item}" if b.item else ""
    svc = _SAFE.sub("", b.service)[:100]
    extra += f" service={svc}" if svc else ""
    return f"[//]: # (prodgate:valid-until={iso(b.at)}{extra})"


def read_marker(text: str) -> tuple[dt.datetime | None, str, str] | None:
    """(valid_until or None for "nothing ahead", item, service) from a check run's summary; None
    when the summary holds no marker (a run of an older prodgate, or another tool's run)."""
    m = MARKER.search(text or "")
    if m is None:
        return None
    at = None if m.group("at") == "none" else dt.datetime.strptime(m.group("at"), "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=dt.UTC)
    return at, m.group("item") or "", m.group("service") or ""
