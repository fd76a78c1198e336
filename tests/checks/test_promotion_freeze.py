"""promotion.freeze: one-off, weekly (DST-correct) and .ics windows; the override label."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from gate import config as cfg
from gate.github.evidence import GitHubEvidence, PullRequestEvidence, Review
from gate.model import ItemResult, Status
from tests.checks.promotion_fixture import OLD, change, evidence, line_of, pr, repo, review

ID = "promotion.freeze"
UTC = dt.UTC
CONFIG = cfg.DEFAULT_PATH

WEEKLY = """\
freeze:
  timezone: UTC
  windows:
    - name: Weekend
      weekly: {from: "Fri 16:00", to: "Mon 09:00"}
      timezone: America/New_York
  override: {label: freeze-exception, approvers: [carol, acme/release]}
"""

ONE_OFF = """\
freeze:
  windows:
    - name: Year-end freeze
      start: "2026-12-18T17:00"
      end: "2027-01-04T09:00"
      timezone: America/New_York
"""

ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//acme//freeze//EN
BEGIN:VEVENT
UID:weekend@acme
SUMMARY:Weekend freeze
DTSTART;TZID=America/New_York:20260904T160000
DTEND;TZID=America/New_York:20260907T090000
RRULE:FREQ=WEEKLY;BYDAY=FR;UNTIL=20271231T235959Z
EXDATE;TZID=America/New_York:20261127T160000
END:VEVENT
BEGIN:VEVENT
UID:launch@acme
SUMMARY:Launch day
DTSTART:20261210T140000Z
DURATION:PT6H
END:VEVENT
BEGIN:VEVENT
UID:offsite@acme
SUMMARY:Offsite
DTSTART;VALUE=DATE:20261216
DTEND;VALUE=DATE:20261217
END:VEVENT
BEGIN:VEVENT
UID:cancelled@acme
SUMMARY:Cancelled freeze
STATUS:CANCELLED
DTSTART:20261211T000000Z
DTEND:20261212T000000Z
END:VEVENT
END:VCALENDAR
"""

ICS_CONFIG = """\
freeze:
  timezone: Europe/Berlin
  calendars: [ops/freeze.ics]
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return repo(tmp_path, {"ops/freeze.ics": ICS})


def at(y: int, mo: int, d: int, h: int, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=UTC)


def judge(root: Path, now: dt.datetime, config_text: str = WEEKLY, p: PullRequestEvidence | None = None,
          gh: GitHubEvidence | None = None) -> ItemResult:
    p = p if p is not None else pr()
    return change(root, ID, p=p, gh=gh if gh is not None else evidence(p), now=now, config_text=config_text)


# -- weekly windows across daylight-saving changes (America/New_York) ---------------------------
@pytest.mark.parametrize(("now", "frozen"), [
    # March 2026: clocks go forward on Sun Mar 8 (EST -5 → EDT -4)
    (at(2026, 3, 6, 20, 59), False),  # Fri 15:59 EST
    (at(2026, 3, 6, 21, 0), True),    # Fri 16:00 EST
    (at(2026, 3, 9, 12, 59), True),   # Mon 08:59 EDT (a fixed -5 offset would say 07:59)
    (at(2026, 3, 9, 13, 0), False),   # Mon 09:00 EDT (a fixed -5 offset would say 08:00: frozen)
    # November 2026: clocks go back on Sun Nov 1 (EDT -4 → EST -5)
    (at(2026, 10, 30, 19, 59), False),  # Fri 15:59 EDT
    (at(2026, 10, 30, 20, 0), True),    # Fri 16:00 EDT
    (at(2026, 11, 2, 13, 59), True),    # Mon 08:59 EST (a fixed -4 offset would say 09:59)
    (at(2026, 11, 2, 14, 0), False),    # Mon 09:00 EST
    (at(2026, 11, 4, 12, 0), False),    # a Wednesday
])
def test_weekly_window_across_dst(root: Path, now: dt.datetime, frozen: bool) -> None:
    r = judge(root, now)
    if frozen:
        assert r.status == Status.FAIL
        (f,) = r.findings
        assert "weekly freeze window 'Weekend'" in f.message and "freeze-exception" in f.message
        assert f.path == CONFIG and f.line == line_of(WEEKLY, "- name: Weekend")
    else:
        assert r.status == Status.PASS
        assert "outside every freeze window" in r.reason and "next: 'Weekend' from Fri" in r.reason


def test_weekly_window_states_local_bounds_with_their_offsets(root: Path) -> None:
    r = judge(root, at(2026, 3, 7, 12))
    assert "Fri 2026-03-06 16:00 EST → Mon 2026-03-09 09:00 EDT" in r.findings[0].message
    assert "wait until Mon 2026-03-09 09:00 EDT" in r.findings[0].message


# -- one-off windows -------------------------------------------------------------------------------
def test_one_off_window(root: Path) -> None:
    inside = judge(root, at(2026, 12, 18, 22, 0), ONE_OFF)  # 17:00 EST
    assert inside.status == Status.FAIL
    (f,) = inside.findings
    assert "one-off freeze window 'Year-end freeze'" in f.message and "2027-01-04 09:00 EST" in f.message
    assert f.path == CONFIG and f.line == line_of(ONE_OFF, "- name: Year-end freeze")
    before = judge(root, at(2026, 12, 18, 21, 59), ONE_OFF)
    assert before.status == Status.PASS and "next: 'Year-end freeze' from Fri 2026-12-18 17:00 EST" in before.reason
    assert judge(root, at(2027, 1, 4, 14, 0), ONE_OFF).status == Status.PASS  # end is exclusive


def test_default_zone_applies_to_windows_without_their_own(root: Path) -> None:
    text = 'freeze:\n  timezone: Asia/Tokyo\n  windows:\n    - {name: Tokyo, start: "2026-12-01T09:00", end: "2026-12-01T18:00"}\n'
    assert judge(root, at(2026, 12, 1, 0, 0), text).status == Status.FAIL  # 09:00 JST
    assert judge(root, at(2026, 12, 1, 9, 0), text).status == Status.PASS  # 18:00 JST


# -- iCalendar ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("now", "name"), [
    (at(2026, 10, 31, 12), "Weekend freeze"),   # RRULE + TZID, before the November change
    (at(2026, 11, 7, 12), "Weekend freeze"),    # after it
    (at(2026, 12, 10, 15), "Launch day"),       # UTC event with DURATION
    (at(2026, 12, 16, 12), "Offsite"),          # all-day (floating, read in Europe/Berlin)
])
def test_ics_events_freeze(root: Path, now: dt.datetime, name: str) -> None:
    r = judge(root, now, ICS_CONFIG)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f"calendar freeze window '{name}'" in f.message
    assert f.path == "ops/freeze.ics" and f.line == line_of(ICS, f"SUMMARY:{name}") - 2


@pytest.mark.parametrize("now", [
    at(2026, 11, 28, 12),      # EXDATE: the Thanksgiving weekend is not frozen
    at(2026, 12, 10, 20, 0),   # Launch day is over (exclusive end)
    at(2026, 12, 11, 12),      # a cancelled event
    at(2026, 12, 15, 22, 59),  # 23:59 Berlin, the day before Offsite
    at(2026, 12, 16, 23, 0),   # 00:00 Berlin, the day after
    at(2026, 9, 2, 12),        # before the first occurrence
])
def test_ics_outside_events(root: Path, now: dt.datetime) -> None:
    assert judge(root, now, ICS_CONFIG).status == Status.PASS


def test_ics_custom_vtimezone(tmp_path: Path) -> None:
    ics = ICS.replace("BEGIN:VEVENT\nUID:weekend", """BEGIN:VTIMEZONE
TZID:Eastern Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:vtz@acme
SUMMARY:Board meeting
DTSTART;TZID=Eastern Standard Time:20261201T100000
DTEND;TZID=Eastern Standard Time:20261201T120000
END:VEVENT
BEGIN:VEVENT
UID:weekend""", 1)
    root = repo(tmp_path, {"ops/freeze.ics": ics})
    assert judge(root, at(2026, 12, 1, 15, 0), ICS_CONFIG).status == Status.FAIL  # 10:00 EST
    assert judge(root, at(2026, 12, 1, 14, 59), ICS_CONFIG).status == Status.PASS


def test_calendar_read_at_the_base_commit(root: Path) -> None:
    """A PR cannot lift its freeze by editing the calendar: the base's copy judges it."""
    p = pr()
    base = evidence(p, base_files={"ops/freeze.ics": ICS})
    (root / "ops/freeze.ics").write_text("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nEND:VCALENDAR\n")
    assert judge(root, at(2026, 12, 10, 15), ICS_CONFIG, p, base).status == Status.FAIL
    assert judge(root, at(2026, 12, 10, 15), ICS_CONFIG, p, evidence(p)).status == Status.PASS


def test_missing_calendar_fails_closed_at_its_config_line(root: Path) -> None:
    text = "freeze:\n  calendars:\n    - ops/none.ics\n"
    r = judge(root, at(2026, 12, 10, 15), text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "freeze calendar ops/none.ics does not exist" in f.message
    assert f.path == CONFIG and f.line == 3
    p = pr()
    absent = evidence(p, base_files={"ops/freeze.ics": None})
    r = judge(root, at(2026, 12, 10, 15), ICS_CONFIG, p, absent)
    assert r.status == Status.FAIL and "at the pull request's base commit" in r.findings[0].message


def test_unreadable_calendar_fails_at_its_line(tmp_path: Path) -> None:
    root = repo(tmp_path, {"ops/freeze.ics": ICS.replace("DTSTART:20261210T140000Z", "DTSTART:garbage")})
    r = judge(root, at(2026, 12, 10, 15), ICS_CONFIG)
    assert r.status == Status.FAIL
    assert r.findings[0].path == "ops/freeze.ics" and "DTSTART" in r.findings[0].message


def test_calendar_not_fetched_fails_closed(root: Path) -> None:
    p = pr()
    gh = evidence(p, errors={"base:ops/freeze.ics": "GitHub answered 502"})
    r = judge(root, at(2026, 12, 10, 15), ICS_CONFIG, p, gh)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "ops/freeze.ics: GitHub answered 502" in f.message and "re-run the gate" in f.message


# -- the override -------------------------------------------------------------------------------------
FROZEN = at(2026, 12, 5, 12)  # a Saturday


def labelled() -> PullRequestEvidence:
    return pr(labels=("freeze-exception",))


def with_reviews(*reviews: Review, teams: dict[str, frozenset[str] | None] | None = None,
                 errors: dict[str, str] | None = None) -> tuple[PullRequestEvidence, GitHubEvidence]:
    p = labelled()
    return p, evidence(p, reviews=reviews, team_members=teams or {}, errors=errors or {})


def test_override_by_approver_login_passes_and_says_who(root: Path) -> None:
    p, gh = with_reviews(review("carol"))
    r = judge(root, FROZEN, WEEKLY, p, gh)
    assert r.status == Status.PASS
    assert "freeze overridden" in r.reason and "label 'freeze-exception' on #42, approved by carol (carol)" in r.reason
    assert r.findings and r.findings[0].level.value == "notice"


def test_override_by_team_member_passes(root: Path) -> None:
    p, gh = with_reviews(review("dave"), teams={"acme/release": frozenset({"Dave", "frank"})})
    r = judge(root, FROZEN, WEEKLY, p, gh)
    assert r.status == Status.PASS and "approved by dave (member of acme/release)" in r.reason


def test_override_without_approver_fails(root: Path) -> None:
    p, gh = with_reviews(review("bob"), teams={"acme/release": frozenset({"frank"})})
    r = judge(root, FROZEN, WEEKLY, p, gh)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "the label 'freeze-exception' is set but no approver" in f.message and "approved by: bob" in f.message


def test_override_with_stale_approval_fails(root: Path) -> None:
    p, gh = with_reviews(review("carol", commit=OLD))
    assert judge(root, FROZEN, WEEKLY, p, gh).status == Status.FAIL


def test_override_refused_team_lookup_keeps_the_freeze_blocking(root: Path) -> None:
    # issue 21: an override whose approval cannot be verified is not `unverified` (which does not
    # block a PR): the freeze keeps blocking, and the finding says which token is needed
    p, gh = with_reviews(review("dave"), teams={"acme/release": None})
    r = judge(root, FROZEN, WEEKLY, p, gh)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "dave's membership of acme/release could not be verified" in f.message and "not assumed" in f.message
    assert "org-token" in f.message and "read:org" in f.message
    assert f.path and f.line


def test_approval_without_label_does_not_override(root: Path) -> None:
    p = pr()
    r = judge(root, FROZEN, WEEKLY, p, evidence(p, reviews=(review("carol"),)))
    assert r.status == Status.FAIL


def test_override_reviews_not_fetched_fail_closed(root: Path) -> None:
    p, gh = with_reviews(errors={"reviews": "GitHub answered 502"})
    assert judge(root, FROZEN, WEEKLY, p, gh).status == Status.FAIL


# -- no pull request ------------------------------------------------------------------------------------
def test_no_pull_request_is_unverified_and_says_where_the_clock_is(root: Path) -> None:
    r = change(root, ID, now=FROZEN, config_text=WEEKLY, mode="check")
    assert r.status == Status.UNVERIFIED
    assert "no pull request to judge" in r.reason and "weekly freeze window 'Weekend'" in r.reason
    r = change(root, ID, now=at(2026, 12, 2, 12), config_text=WEEKLY, mode="check")
    assert r.status == Status.UNVERIFIED and "outside every freeze window" in r.reason


# -- gate.freeze on its own: a year of instants against awkward weekly windows -----------------------
@pytest.mark.parametrize(("frm", "to", "hours"), [
    ("Fri 16:00", "Mon 09:00", 65),
    ("Sun 02:30", "Sun 04:00", 1.5),   # spans the spring-forward gap
    ("Sun 01:00", "Sun 02:00", 1),     # repeated on the fall-back night
    ("Sat 23:00", "Sat 22:00", 167),   # wraps almost the whole week
])
def test_weekly_window_sweep_over_a_year(frm: str, to: str, hours: float) -> None:
    from zoneinfo import ZoneInfo

    from gate import freeze

    tz = ZoneInfo("America/New_York")
    w = freeze.Window("w", "weekly", tz, None, None, week_from=freeze.parse_weekly(frm),
                      week_to=freeze.parse_weekly(to))
    t0 = dt.datetime(2026, 1, 1, 0, 7, tzinfo=UTC)
    inside = 0
    for k in range(365 * 24 * 2):
        now = t0 + dt.timedelta(minutes=30 * k)
        h = w.hit(now)
        nxt = w.next_start(now)
        assert nxt is not None and nxt > now
        if h is not None:
            inside += 1
            assert h.start <= now < h.end
            local_start = h.start.astimezone(tz)
            assert local_start.strftime("%a %H:%M") == frm or (frm == "Sun 02:30" and local_start.strftime("%a %H:%M") == "Sun 03:00")
    # 52 or 53 weeks of the window, within the hour that DST adds or removes twice a year
    assert abs(inside / 2 - hours * 52.14) <= hours * 1.2 + 2


FLOATING = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:x
{xwr}BEGIN:VEVENT
UID:float@acme
SUMMARY:Floating
DTSTART:20261220T100000
DTEND:20261220T120000
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.parametrize(("xwr", "frozen_at"), [
    ("", at(2026, 12, 20, 9, 0)),                              # floating: freeze.timezone (Europe/Berlin, UTC+1)
    ("X-WR-TIMEZONE:Asia/Tokyo\n", at(2026, 12, 20, 1, 0)),    # the calendar's own zone (UTC+9)
])
def test_ics_floating_times(tmp_path: Path, xwr: str, frozen_at: dt.datetime) -> None:
    root = repo(tmp_path, {"ops/freeze.ics": FLOATING.format(xwr=xwr)})
    assert judge(root, frozen_at, ICS_CONFIG).status == Status.FAIL
    assert judge(root, frozen_at - dt.timedelta(minutes=1), ICS_CONFIG).status == Status.PASS
    assert judge(root, frozen_at + dt.timedelta(hours=2), ICS_CONFIG).status == Status.PASS


def test_ics_rrule_until_ends_the_recurrence(root: Path) -> None:
    assert judge(root, at(2027, 12, 25, 12), ICS_CONFIG).status == Status.FAIL  # the last weekend
    assert judge(root, at(2028, 1, 8, 12), ICS_CONFIG).status == Status.PASS


def test_override_label_is_matched_as_github_names_labels(root: Path) -> None:
    # GitHub's label names are unique regardless of case: 'Freeze-Exception' is the override label
    p, gh = with_reviews(review("carol"))
    p = dataclasses.replace(p, labels=("Freeze-Exception",))
    gh = dataclasses.replace(gh, pr=p)
    r = judge(root, FROZEN, WEEKLY, p, gh)
    assert r.status == Status.PASS, r.findings
    assert "label 'freeze-exception' on #42, approved by carol (carol)" in r.reason
    # a label that only contains the name is not the override
    p2 = dataclasses.replace(p, labels=("no-freeze-exception",))
    r2 = judge(root, FROZEN, WEEKLY, p2, dataclasses.replace(gh, pr=p2))
    assert r2.status == Status.FAIL
    (f,) = r2.findings
    assert f.message.startswith("merging is frozen: weekly freeze window")
    assert "or add the label 'freeze-exception' with an approval from carol" in f.message
    assert f.line is not None
