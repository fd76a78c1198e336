"""Freeze windows: when may nothing be merged or promoted.

Three kinds of window, all judged against the gate's clock (``RunInfo.now``, ``--now``):

- **one-off** (``freeze.windows[]`` with ``start``/``end``): local date-times in the window's IANA
  zone (``timezone``, else ``freeze.timezone``); a value with an explicit offset (``Z``,
  ``+01:00``) is taken as that instant. ``start`` is inclusive, ``end`` exclusive.
- **weekly** (``freeze.windows[]`` with ``weekly: {from: "Fri 16:00", to: "Mon 09:00"}``): wall
  clock times of the window's zone, wrapping the end of the week when ``to`` comes before
  ``from``. Compared on the local wall clock, so the window opens at 16:00 local on both sides of
  a daylight-saving change.
- **calendar** (``freeze.calendars[]``: ``.ics`` files in the repository): every ``VEVENT`` is a
  window (``DTSTART`` inclusive to ``DTEND``/``DURATION`` exclusive), ``RRULE``/``RDATE``/``EXDATE``
  recurrences expanded with :mod:`dateutil.rrule` (local wall-clock recurrence, as RFC 5545
  says), ``RECURRENCE-ID`` overrides replacing their occurrence, ``STATUS:CANCELLED`` ignored.
  ``TZID`` names an IANA zone or a ``VTIMEZONE`` of the file; UTC times end in ``Z``; floating
  times and all-day dates are read in the calendar's ``X-WR-TIMEZONE`` when it is an IANA zone,
  else in ``freeze.timezone``.

:func:`read_section` reads the ``freeze`` section once, when ``gate.config.parse`` reads the
configuration: an unknown zone, a time that does not parse, an end not after its start, or (when
the caller can read the repository) a calendar that is missing or unparsable is a
:class:`FreezeError` naming the key and its line, which the configuration reports as its error.
:func:`evaluate` judges the section's windows and calendars at an instant.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gate.sources.yaml.parse import Key, YamlDoc

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKLY = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([01][0-9]|2[0-3]):([0-5][0-9])$")
#: recurrences finer than this are refused (a freeze window every minute is a mistake, and
#: expanding one over years is slow)
_REFUSED_FREQ = {"SECONDLY", "MINUTELY"}
UTC = dt.UTC
#: ``freeze.timezone`` when the configuration names none
UTC_ZONE = ZoneInfo("UTC")

Reader = Callable[[str], "str | None"]


class FreezeError(Exception):
    """A window or calendar that cannot be evaluated: ``path``/``line`` say where."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line


# -- zones and times ----------------------------------------------------------------------------
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name`` (FreezeError when there is none by that name)."""
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise FreezeError(f"{name!r} is not an IANA time zone (e.g. America/New_York, Europe/Berlin, UTC)") from None


def parse_local(value: object, tz: ZoneInfo) -> dt.datetime:
    """A one-off window bound: ``YYYY-MM-DDTHH:MM[:SS]`` (local in ``tz``), a date (midnight),
    or a value with an offset (that instant). Returned in UTC."""
    if isinstance(value, dt.datetime):
        d = value
    elif isinstance(value, dt.date):
        d = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        s = value.strip()
        if s.endswith(("Z", "z")):
            s = s[:-1] + "+00:00"
        try:
            d = dt.datetime.fromisoformat(s)
        except ValueError:
            raise FreezeError(f"{value!r} is not a date-time (write it as YYYY-MM-DDTHH:MM, local to the "
                              "window's timezone)") from None
    else:
        raise FreezeError(f"{value!r} is not a date-time (write it as YYYY-MM-DDTHH:MM)")
    if d.tzinfo is None:
        return wall_to_utc(d, tz)
    return d.astimezone(UTC)


def parse_weekly(value: str) -> int:
    """``"Fri 16:00"`` → minutes since Monday 00:00."""
    m = _WEEKLY.match(value.strip())
    if not m:
        raise FreezeError(f"{value!r} is not a weekly time: write a day and a 24-hour time, e.g. \"Fri 16:00\"")
    return DAYS.index(m.group(1)) * 1440 + int(m.group(2)) * 60 + int(m.group(3))


def fmt(t: dt.datetime, tz: dt.tzinfo) -> str:
    """``2026-12-18 17:00 EST`` (local to the window's zone)."""
    local = t.astimezone(tz)
    return f"{DAYS[local.weekday()]} {local:%Y-%m-%d %H:%M} {local.tzname() or ''}".rstrip()


# -- windows ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hit:
    """``now`` falls inside this window occurrence."""

    name: str
    kind: str  # one-off, weekly, calendar
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    tz: dt.tzinfo
    path: str | None  # the configuration file or the calendar
    line: int | None

    def describe(self) -> str:
        return f"{self.kind} freeze window '{self.name}' ({fmt(self.start, self.tz)} → {fmt(self.end, self.tz)})"


@dataclass(frozen=True)
class Window:
    name: str
    kind: str
    tz: dt.tzinfo
    path: str | None
    line: int | None
    #: one-off: UTC bounds
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    #: weekly: minutes since Monday 00:00, wall clock
    week_from: int | None = None
    week_to: int | None = None

    def hit(self, now: dt.datetime) -> Hit | None:
        if self.start is not None and self.end is not None:
            if self.start <= now < self.end:
                return Hit(self.name, self.kind, self.start, self.end, self.tz, self.path, self.line)
            return None
        assert self.week_from is not None and self.week_to is not None
        local = now.astimezone(self.tz)
        m = local.weekday() * 1440 + local.hour * 60 + local.minute
        f, t = self.week_from, self.week_to
        inside = f <= m < t if f < t else (m >= f or m < t)
        if not inside:
            return None
        start = _weekly_edge(local, f, back=True)
        end = _weekly_edge(local, t, back=False)
        return Hit(self.name, self.kind, start, end, self.tz, self.path, self.line)

    def next_start(self, now: dt.datetime) -> dt.datetime | None:
        if self.start is not None:
            return self.start if self.start > now else None
        assert self.week_from is not None
        return _weekly_edge(now.astimezone(self.tz), self.week_from, back=False)


def wall_to_utc(wall: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """The instant (UTC) of the naive local time ``wall`` in ``tz``: a time repeated by a fall-back
    names its first occurrence; a time skipped by a spring-forward gap names the first instant at
    or after it (the end of the gap), where the wall clock first reaches it."""
    u = wall.replace(tzinfo=tz).astimezone(UTC)
    if u.astimezone(tz).replace(tzinfo=None) == wall:
        return u
    u = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)  # the earlier reading of a gap time
    for _ in range(24 * 60):
        if u.astimezone(tz).replace(tzinfo=None) >= wall:
            break
        u += dt.timedelta(minutes=1)
    return u


def _weekly_edge(local: dt.datetime, minute_of_week: int, back: bool) -> dt.datetime:
    """The instant (UTC) of the wall-clock time ``minute_of_week`` in ``local``'s zone: the latest
    at or before ``local`` (``back``), else the first after it."""
    tz = local.tzinfo
    assert tz is not None
    monday = (local - dt.timedelta(days=local.weekday())).date()
    day, minute = divmod(minute_of_week, 1440)
    at = dt.time(minute // 60, minute % 60)
    cands = [wall_to_utc(dt.datetime.combine(monday + dt.timedelta(days=day + 7 * w), at), tz) for w in (-1, 0, 1, 2)]
    lu = local.astimezone(UTC)
    if back:
        return max(c for c in cands if c <= lu)
    return min(c for c in cands if c > lu)


def _windows(freeze: Mapping[str, Any], default_tz: ZoneInfo, line: Callable[..., int | None],
             source: str | None) -> list[Window]:
    """The one-off and weekly windows of ``freeze.windows`` (FreezeError at the key's line)."""
    out: list[Window] = []
    for i, w in enumerate(freeze.get("windows") or []):
        name = str(w.get("name") or f"window {i + 1}")
        tz = default_tz
        if w.get("timezone") is not None:
            try:
                tz = zone(str(w["timezone"]))
            except FreezeError as exc:
                raise FreezeError(f"freeze.windows.{i}.timezone: {exc.message}", source,
                                  line("windows", i, "timezone")) from None
        if "weekly" in w:
            weekly = w["weekly"] or {}
            bounds: list[int] = []
            for key in ("from", "to"):
                try:
                    bounds.append(parse_weekly(str(weekly.get(key, ""))))
                except FreezeError as exc:
                    raise FreezeError(f"freeze.windows.{i}.weekly.{key}: {exc.message}", source,
                                      line("windows", i, "weekly", key)) from None
            if bounds[0] == bounds[1]:
                raise FreezeError(f"freeze.windows.{i}.weekly: 'from' and 'to' are the same time: a weekly window "
                                  "must end at another time of the week", source, line("windows", i, "weekly"))
            out.append(Window(name, "weekly", tz, source, line("windows", i), week_from=bounds[0], week_to=bounds[1]))
            continue
        got: list[dt.datetime] = []
        for key in ("start", "end"):
            try:
                got.append(parse_local(w.get(key), tz))
            except FreezeError as exc:
                raise FreezeError(f"freeze.windows.{i}.{key}: {exc.message}", source,
                                  line("windows", i, key)) from None
        if got[1] <= got[0]:
            raise FreezeError(f"freeze.windows.{i}.end: {w.get('end')!r} is not after start {w.get('start')!r}",
                              source, line("windows", i, "end"))
        out.append(Window(name, "one-off", tz, source, line("windows", i), start=got[0], end=got[1]))
    return out


# -- iCalendar ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Event:
    name: str
    line: int
    start: dt.datetime  # aware, in its own zone (wall-clock recurrences use it)
    #: exact length (DTEND, or the time part of DURATION) and nominal days (DURATION's days/weeks)
    exact: dt.timedelta
    days: int
    rule: Any  # a dateutil rruleset, or None for a single occurrence
    tz: dt.tzinfo

    def end_of(self, occ: dt.datetime) -> dt.datetime:
        wall = occ + dt.timedelta(days=self.days) if self.days else occ
        return wall.astimezone(UTC) + self.exact

    @property
    def longest(self) -> dt.timedelta:
        return self.exact + dt.timedelta(days=self.days, hours=2)


@dataclass(frozen=True)
class Calendar:
    path: str
    events: tuple[_Event, ...]

    def hits(self, now: dt.datetime) -> Iterator[Hit]:
        for ev in self.events:
            for occ in _occurrences_around(ev, now):
                s, e = occ.astimezone(UTC), ev.end_of(occ)
                if s <= now < e:
                    yield Hit(ev.name, "calendar", s, e, ev.tz, self.path, ev.line)

    def next_start(self, now: dt.datetime) -> tuple[dt.datetime, _Event] | None:
        best: tuple[dt.datetime, _Event] | None = None
        for ev in self.events:
            if ev.rule is None:
                cand = ev.start.astimezone(UTC) if ev.start.astimezone(UTC) > now else None
            else:
                nxt = ev.rule.after(now, inc=False)
                cand = nxt.astimezone(UTC) if nxt is not None else None
            if cand is not None and (best is None or cand < best[0]):
                best = (cand, ev)
        return best


def _occurrences_around(ev: _Event, now: dt.datetime) -> list[dt.datetime]:
    if ev.rule is None:
        return [ev.start]
    lo = now - ev.longest
    return list(ev.rule.between(lo, now, inc=True))


def _vline(lines: list[str], n: int) -> int:
    """Line (1-based) of the ``n``-th ``BEGIN:VEVENT`` in the file."""
    seen = -1
    for i, ln in enumerate(lines):
        if ln.strip().upper() == "BEGIN:VEVENT":
            seen += 1
            if seen == n:
                return i + 1
    return 1


def _aware(value: Any, prop: Any, floating: dt.tzinfo, path: str, line: int, what: str) -> tuple[dt.datetime, bool]:
    """(aware date-time, is-all-day) of a DTSTART/DTEND/RDATE/EXDATE value."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return value, False
        tzid = prop.params.get("TZID") if prop is not None and hasattr(prop, "params") else None
        if tzid:
            try:
                return value.replace(tzinfo=zone(str(tzid))), False
            except FreezeError:
                raise FreezeError(f"{what} names TZID {tzid!r}, which is neither an IANA zone nor a VTIMEZONE of "
                                  "the calendar", path, line) from None
        return value.replace(tzinfo=floating), False
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=floating), True
    raise FreezeError(f"{what} is not a date or date-time", path, line)


def _dates(prop: Any) -> list[tuple[Any, Any]]:
    """(value, property) of each date in an RDATE/EXDATE property (one or several lines)."""
    if prop is None:
        return []
    props = prop if isinstance(prop, list) else [prop]
    out: list[tuple[Any, Any]] = []
    for p in props:
        for d in getattr(p, "dts", []):
            out.append((d.dt, p if getattr(p, "params", None) else d))
    return out


def parse_calendar(path: str, text: str, floating_default: dt.tzinfo) -> Calendar:
    """Parse an ``.ics`` file into windows (FreezeError with the file's line when unusable)."""
    import icalendar
    from dateutil import rrule as du  # type: ignore[import-untyped]

    try:
        cal = icalendar.Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError) as exc:
        raise FreezeError(f"{path} is not an iCalendar file ({exc}): export it again as .ics", path, 1) from None
    if not isinstance(cal, icalendar.Calendar):
        raise FreezeError(f"{path} holds no VCALENDAR", path, 1)
    floating: dt.tzinfo = floating_default
    xwr = cal.get("X-WR-TIMEZONE")
    if xwr:
        try:
            floating = zone(str(xwr))
        except FreezeError:
            floating = floating_default
    lines = text.splitlines()
    events: list[_Event] = []
    raw = list(cal.walk("VEVENT"))
    #: uid → starts replaced by a RECURRENCE-ID override
    overridden: dict[str, list[dt.datetime]] = {}
    for n, ev in enumerate(raw):
        rid = ev.get("RECURRENCE-ID")
        if rid is not None:
            start, _ = _aware(rid.dt, rid, floating, path, _vline(lines, n), "RECURRENCE-ID")
            overridden.setdefault(str(ev.get("UID", "")), []).append(start)
    for n, ev in enumerate(raw):
        line = _vline(lines, n)
        errors = getattr(ev, "errors", None) or []
        if errors:
            prop, why = errors[0]
            raise FreezeError(f"{path}: event property {prop} cannot be read ({why})", path, line)
        if str(ev.get("STATUS", "")).upper() == "CANCELLED":
            continue
        name = str(ev.get("SUMMARY") or ev.get("UID") or f"event {n + 1}")
        ds = ev.get("DTSTART")
        if ds is None:
            raise FreezeError(f"{path}: event '{name}' has no DTSTART", path, line)
        start, all_day = _aware(ds.dt, ds, floating, path, line, f"event '{name}' DTSTART")
        exact, days = dt.timedelta(0), 0
        de, dur = ev.get("DTEND"), ev.get("DURATION")
        if de is not None:
            end, _ = _aware(de.dt, de, floating, path, line, f"event '{name}' DTEND")
            if all_day:
                days = (end.date() - start.date()).days
            else:
                exact = end.astimezone(UTC) - start.astimezone(UTC)
            if end.astimezone(UTC) <= start.astimezone(UTC):
                raise FreezeError(f"{path}: event '{name}' ends before (or when) it starts", path, line)
        elif dur is not None:
            td = dur.dt
            if not isinstance(td, dt.timedelta) or td <= dt.timedelta(0):
                raise FreezeError(f"{path}: event '{name}' has a DURATION that is not positive", path, line)
            days = td.days
            exact = td - dt.timedelta(days=td.days)
        elif all_day:
            days = 1
        tz = start.tzinfo or floating
        rule = None
        rr = ev.get("RRULE")
        rdates = _dates(ev.get("RDATE"))
        if rr is not None or rdates:
            rules = rr if isinstance(rr, list) else ([rr] if rr is not None else [])
            rset = du.rruleset()
            for r in rules:
                freq = [str(f).upper() for f in r.get("FREQ", [])]
                if any(f in _REFUSED_FREQ for f in freq):
                    raise FreezeError(f"{path}: event '{name}' recurs {freq[0].lower()}; freeze windows recur at most "
                                      "hourly", path, line)
                parts = {k: v for k, v in r.items() if k != "UNTIL"}
                body = str(icalendar.vRecur(parts).to_ical().decode())  # type: ignore[no-untyped-call]
                try:
                    rule_obj = du.rrulestr(body, dtstart=start)
                except (ValueError, TypeError) as exc:
                    raise FreezeError(f"{path}: event '{name}' has an RRULE that cannot be expanded ({exc})",
                                      path, line) from None
                until = r.get("UNTIL")
                if until:
                    u, _ = _aware(until[0], None, tz, path, line, f"event '{name}' RRULE UNTIL")
                    rule_obj = rule_obj.replace(until=u.astimezone(tz))
                rset.rrule(rule_obj)
            if not rules:
                rset.rdate(start)
            for value, prop in rdates:
                d, _ = _aware(value, prop, tz, path, line, f"event '{name}' RDATE")
                rset.rdate(d)
            for value, prop in _dates(ev.get("EXDATE")):
                d, _ = _aware(value, prop, tz, path, line, f"event '{name}' EXDATE")
                rset.exdate(d)
            if ev.get("RECURRENCE-ID") is None:
                for d in overridden.get(str(ev.get("UID", "")), []):
                    rset.exdate(d)
            rule = rset
        events.append(_Event(name, line, start, exact, days, rule, tz))
    return Calendar(path, tuple(events))


# -- the configuration's section ------------------------------------------------------------------
@dataclass(frozen=True)
class Override:
    """``freeze.override``: the label that asks to merge inside a window, and who may approve it
    (logins or ``org/team`` slugs)."""

    label: str = "freeze-exception"
    approvers: tuple[str, ...] = ()

    def on(self, labels: tuple[str, ...] | list[str]) -> bool:
        """Is the override label among ``labels``? GitHub's label names are unique regardless of
        case (``Freeze-Exception`` is the label ``freeze-exception``), so case does not matter."""
        return labelled(self.label, labels)


def labelled(label: str, labels: tuple[str, ...] | list[str]) -> bool:
    """``label`` is one of ``labels``, compared as GitHub compares label names (case-insensitively)."""
    want = label.casefold()
    return bool(want) and any(x.casefold() == want for x in labels)


@dataclass(frozen=True)
class FreezeSettings:
    """The ``freeze`` section, read once with the configuration (:func:`read_section`): the
    one-off and weekly windows as instants, the calendars to read when the freeze is evaluated."""

    #: ``freeze.timezone``: the zone of a window that names none, and of a calendar's floating times
    tz: dt.tzinfo = UTC_ZONE
    windows: tuple[Window, ...] = ()
    calendars: tuple[str, ...] = ()
    override: Override = Override()


def read_section(freeze: Mapping[str, Any], doc: YamlDoc | None, source: str | None,
                 read: Reader | None = None) -> FreezeSettings:
    """The ``freeze`` section (valid against the schema) with the checks the schema cannot
    express: an unknown zone, a time that does not parse, an end not after its start, and (when
    ``read`` can read the repository) a calendar that is missing or unparsable are a FreezeError
    naming the key, at its line of ``source``."""

    def line(*keys: Key) -> int | None:
        return doc.line(["freeze", *keys]) if doc is not None else None

    try:
        default_tz = zone(str(freeze.get("timezone") or "UTC"))
    except FreezeError as exc:
        raise FreezeError(f"freeze.timezone: {exc.message}", source, line("timezone")) from None
    windows = _windows(freeze, default_tz, line, source)
    calendars = tuple(str(p) for p in freeze.get("calendars") or [])
    for i, path in enumerate(calendars):
        if read is None:
            continue
        at = line("calendars", i)
        try:
            text = read(path)
        except Exception as exc:  # a refused path (outside the repository, special file)
            raise FreezeError(f"freeze.calendars.{i}: {path} cannot be read ({exc})", source, at) from None
        if text is None:
            raise FreezeError(f"freeze.calendars.{i}: {path} does not exist in the repository (commit the .ics "
                              "file, or remove it from freeze.calendars)", source, at)
        try:
            parse_calendar(path, text, default_tz)
        except FreezeError as exc:
            raise FreezeError(f"freeze.calendars.{i}: {exc.message} ({path}:{exc.line or 1})", source, at) from None
    over = freeze.get("override") or {}
    override = Override(str(over.get("label") or "freeze-exception"), tuple(str(a) for a in over.get("approvers") or []))
    return FreezeSettings(default_tz, tuple(windows), calendars, override)


# -- evaluation -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Evaluation:
    hits: tuple[Hit, ...]
    #: the next window to open after ``now`` (name, start in UTC, zone), when one is known
    next: tuple[str, dt.datetime, dt.tzinfo] | None
    windows: int  # how many windows and calendar events were considered
    #: the first instant after ``now`` at which a window opens or one holding ``now`` closes
    boundary: Edge | None = None


@dataclass(frozen=True)
class Edge:
    at: dt.datetime  # UTC
    why: str  # "the 'Weekend' freeze starts"
    tz: str  # the window's IANA zone


def _zone_name(tz: dt.tzinfo) -> str:
    return str(getattr(tz, "key", None) or "UTC")


def next_edge(hits: list[Hit], nexts: list[tuple[str, dt.datetime, dt.tzinfo]]) -> Edge | None:
    """The earliest boundary ahead: the end of a window holding ``now`` or the next start."""
    edges = [Edge(h.end, f"the '{h.name}' freeze ends", _zone_name(h.tz)) for h in hits]
    edges += [Edge(at, f"the '{name}' freeze starts", _zone_name(tz)) for name, at, tz in nexts]
    return min(edges, key=lambda e: e.at) if edges else None


def evaluate(settings: FreezeSettings, now: dt.datetime, calendars: Mapping[str, str]) -> Evaluation:
    """Which windows hold ``now`` (UTC-aware); ``calendars`` maps each calendar path to its text."""
    now = now.astimezone(UTC)
    windows = settings.windows
    hits: list[Hit] = [h for w in windows if (h := w.hit(now)) is not None]
    nexts: list[tuple[str, dt.datetime, dt.tzinfo]] = []
    for w in windows:
        ns = w.next_start(now)
        if ns is not None:
            nexts.append((w.name, ns, w.tz))
    count = len(windows)
    for path in settings.calendars:
        cal = parse_calendar(path, calendars[path], settings.tz)
        count += len(cal.events)
        hits.extend(cal.hits(now))
        nc = cal.next_start(now)
        if nc is not None:
            nexts.append((nc[1].name, nc[0], nc[1].tz))
    nxt = min(nexts, key=lambda x: x[1]) if nexts else None
    return Evaluation(tuple(hits), nxt, count, next_edge(hits, nexts))
