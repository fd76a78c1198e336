"""Freeze configuration semantics refused at load (ConfigError naming the key and line → exit 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gate import config as cfg

SRC = ".github/prod-readiness.yml"


def parse(text: str, files: dict[str, str] | None = None) -> cfg.Config:
    read = (lambda p: (files or {}).get(p)) if files is not None else None
    return cfg.parse(text, SRC, read)


@pytest.mark.parametrize(("text", "where", "what"), [
    ("freeze:\n  timezone: Mars/Olympus\n", f"{SRC}:2:", "freeze.timezone: 'Mars/Olympus' is not an IANA time zone"),
    ("freeze:\n  windows:\n    - name: A\n      start: '2026-12-01T09:00'\n      end: '2026-12-02T09:00'\n"
     "      timezone: Europe/Atlantis\n", f"{SRC}:6:", "freeze.windows.0.timezone: 'Europe/Atlantis'"),
    ("freeze:\n  windows:\n    - {name: A, start: '2026-12-01T09:00', end: '2026-12-01 25:00'}\n", f"{SRC}:3:",
     "freeze.windows.0.end: '2026-12-01 25:00' is not a date-time"),
    ("freeze:\n  windows:\n    - name: A\n      start: '2026-12-02T09:00'\n      end: '2026-12-01T09:00'\n",
     f"{SRC}:5:", "freeze.windows.0.end: '2026-12-01T09:00' is not after start"),
    ("freeze:\n  windows:\n    - name: A\n      weekly: {from: 'Fri 16:00', to: 'Fri 16:00'}\n", f"{SRC}:4:",
     "freeze.windows.0.weekly: 'from' and 'to' are the same time"),
])
def test_bad_window_is_a_config_error_at_its_line(text: str, where: str, what: str) -> None:
    with pytest.raises(cfg.ConfigError) as exc:
        parse(text)
    assert str(exc.value).startswith(where), str(exc.value)
    assert what in str(exc.value)


def test_weekly_time_shape_is_the_schema_s_job() -> None:
    with pytest.raises(cfg.ConfigError) as exc:
        parse("freeze:\n  windows:\n    - name: A\n      weekly: {from: 'Friday 4pm', to: 'Mon 09:00'}\n")
    assert "freeze.windows.0.weekly.from" in str(exc.value) and f"{SRC}:4" in str(exc.value)


def test_valid_windows_load() -> None:
    c = parse("freeze:\n  timezone: Europe/Berlin\n  windows:\n"
              "    - {name: A, start: '2026-12-01T09:00', end: '2026-12-01T18:00:00+01:00'}\n"
              "    - {name: B, weekly: {from: 'Sun 22:00', to: 'Mon 06:00'}, timezone: America/New_York}\n")
    assert len(c.freeze.windows) == 2


def test_missing_calendar_is_a_config_error_when_the_repository_can_be_read() -> None:
    text = "freeze:\n  calendars:\n    - ops/freeze.ics\n"
    with pytest.raises(cfg.ConfigError) as exc:
        parse(text, {})
    assert str(exc.value).startswith(f"{SRC}:3: freeze.calendars.0: ops/freeze.ics does not exist")
    parse(text)  # without a reader the check judges it (fails closed at that line)


def test_unparsable_calendar_is_a_config_error() -> None:
    text = "freeze:\n  calendars: [ops/freeze.ics]\n"
    with pytest.raises(cfg.ConfigError) as exc:
        parse(text, {"ops/freeze.ics": "not a calendar"})
    assert "freeze.calendars.0" in str(exc.value) and "not an iCalendar file" in str(exc.value)
    minutely = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:1\nDTSTART:20261201T000000Z\n"
                "DURATION:PT1M\nRRULE:FREQ=MINUTELY\nEND:VEVENT\nEND:VCALENDAR\n")
    with pytest.raises(cfg.ConfigError) as exc:
        parse(text, {"ops/freeze.ics": minutely})
    assert "recurs minutely" in str(exc.value) and "ops/freeze.ics:4" in str(exc.value)


def test_cli_exit_2_names_key_and_line(tmp_path: Path) -> None:
    (tmp_path / ".github").mkdir()
    (tmp_path / SRC).write_text("freeze:\n  windows:\n    - {name: A, start: '2026-12-02T09:00', end: '2026-12-01T09:00'}\n")
    (tmp_path / "services").mkdir()
    p = subprocess.run([sys.executable, "-m", "gate", "check", str(tmp_path)], capture_output=True, text=True,
                       cwd=tmp_path, timeout=120)
    assert p.returncode == 2, p.stderr
    assert f"{SRC}:3: freeze.windows.0.end" in p.stderr
