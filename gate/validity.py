"""How long a verdict stays true: ``valid_until`` in the report, its text and its marker.

Checks whose status the clock alone can change (a freeze window, a soak or monitor deadline, a
waiver's expiry, an attestation's age limit) return their next such instant on the result
(:meth:`gate.model.Result.until`); the engine folds them into :attr:`gate.model.Report.valid_until`,
the earliest one after the run, which the report's JSON carries (:meth:`gate.model.Boundary.to_json`).
This module says it otherwise: one line for the text and Markdown reports, and the
machine-readable marker that the check run's summary carries and ``prodgate refresh``
(:mod:`gate.modes.refresh`) reads back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gate.model import Boundary, Report, earliest
from gate.model import iso as iso  # the instant format of valid_until and of the marker

#: ``[//]: # (prodgate:valid-until=2026-12-04T21:00:00Z item=promotion.freeze rest=none)`` (or
#: ``=none``): a Markdown link reference definition, which renders as nothing (an HTML comment would
#: do too, but the report's Markdown holds no raw HTML at all). ``rest`` is the earliest boundary of
#: every item but the change-level ones that depend only on time (:data:`TIME_ONLY`): how long the
#: rest of the verdict holds when ``prodgate refresh`` re-judges only those.
MARKER = re.compile(
    r"^\[//\]: # \(prodgate:valid-until=(?P<at>none|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)"
    r"(?P<fields>(?: [a-z]{1,20}=[A-Za-z0-9._:-]{1,100}){0,8})\)$",
    re.MULTILINE,
)
#: change-level items whose status depends only on the configuration and the clock
TIME_ONLY = frozenset({"promotion.freeze"})
_SAFE = re.compile(r"[^A-Za-z0-9._-]")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


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
    return f"valid until {local(b)} ({iso(b.at)}): {b.who}{b.why}"


@dataclass(frozen=True)
class Marker:
    """What a check run's summary says about its verdict's validity."""

    until: dt.datetime | None  # None: nothing time-dependent lies ahead
    item: str = ""
    service: str = ""
    #: how long the items other than :data:`TIME_ONLY` hold (None: no boundary)
    rest: dt.datetime | None = None
    #: written by ``prodgate refresh``: the conclusion of the full verdict it re-judged
    prior: str = ""


def _parse_iso(value: str) -> dt.datetime | None:
    if value == "none":
        return None
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def write_marker(m: Marker) -> str:
    """The marker line (no repository text: item ids, a sanitised service name, instants)."""
    out = f"[//]: # (prodgate:valid-until={iso(m.until) if m.until else 'none'}"
    if m.item:
        out += f" item={_SAFE.sub('', m.item)[:100]}"
    svc = _SAFE.sub("", m.service)[:100]
    if svc:
        out += f" service={svc}"
    out += f" rest={iso(m.rest) if m.rest else 'none'}"
    if m.prior:
        out += f" prior={_SAFE.sub('', m.prior)[:30]}"
    return out + ")"


def marker(report: Report) -> str:
    """The marker a later run reads back (never shown; holds no repository text)."""
    b = report.valid_until
    items = [i for i in report.items if i.id not in TIME_ONLY] + [i for s in report.services for i in s.items]
    rest = earliest(*(i.changes_at for i in items if i.changes_at is not None and i.changes_at.at > report.generated_at))
    if b is None:
        return write_marker(Marker(None, rest=rest.at if rest else None))
    return write_marker(Marker(b.at, b.item, b.service, rest.at if rest else None))


def read_marker(text: str) -> Marker | None:
    """The marker of a check run's summary; None when it holds none (a run of an older prodgate,
    or another tool's run) or a malformed one."""
    m = MARKER.search(text or "")
    if m is None:
        return None
    fields = dict(f.split("=", 1) for f in m.group("fields").split())
    try:
        until = _parse_iso(m.group("at"))
        rest = _parse_iso(fields.get("rest", "none"))
    except ValueError:
        return None
    return Marker(until, fields.get("item", ""), fields.get("service", ""), rest, fields.get("prior", ""))
