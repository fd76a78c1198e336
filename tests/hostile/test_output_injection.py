"""Repository text on stdout and stderr, in every mode: configuration errors (a key path, an
``.ics`` SUMMARY), the text report, the Action's check mode. No line the Actions runner would
execute (``::cmd`` at a line's start, ``##[cmd]`` anywhere), no terminal escape sequence; the
gate's own annotations and stop-commands still pass (tests/hostile/test_injection.py)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from gate.safeio import DefusedStream, command, defuse
from tests.hostile.conftest import ROOT, assert_clean, run_cli
from tests.hostile.test_injection import assert_no_commands

EVIL = "x\n::add-mask::hostile\r::stop-commands::abc\n  ::error file=a::forged\n##[error]forged ok ##[set-output name=a]b\x1b[2J"


def assert_inert(log: str) -> None:
    assert_no_commands(log)
    assert "##[" not in log, log
    assert "\x1b" not in log


def _config(repo: Path, text: str) -> None:
    p = repo / ".github" / "prod-readiness.yml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


def test_a_configuration_key_path_cannot_inject(repo: Path) -> None:
    _config(repo, f"check_name: ok\nhelpers:\n  {json.dumps(EVIL)}: x\n")
    run = run_cli(repo)
    assert_clean(run, codes=(2,))
    # the key is reported at its own line, quoted on one line with its escapes
    assert '.github/prod-readiness.yml:3: unknown key `helpers."' in run.stderr
    assert_inert(run.stderr)
    assert_inert(run.stdout)


def test_an_ics_summary_cannot_inject(repo: Path) -> None:
    _config(repo, "freeze:\n  calendars: [ops/freeze.ics]\n")
    summary = EVIL.replace("\n", "\\n").replace("\r", "").replace("\x1b", "")
    (repo / "ops").mkdir()
    (repo / "ops" / "freeze.ics").write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        f"SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    run = run_cli(repo)
    assert_clean(run, codes=(2,))
    assert "has no DTSTART" in run.stderr
    assert_inert(run.stderr)


def test_the_text_report_on_stdout_cannot_inject(repo: Path, tmp_path: Path) -> None:
    p = repo / "services/payments/service.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("owner: team-payments", "owner: " + json.dumps(EVIL)),
                 encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env["PYTHONPATH"] = str(ROOT)
    r = subprocess.run([sys.executable, "-m", "gate", "check", "--offline", "--now", "2026-11-29T12:00:00Z",
                        "services/payments"], cwd=repo, env=env, capture_output=True, text=True, timeout=120,
                       check=False)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "forged" in r.stdout  # the text is shown, defused
    assert_inert(r.stdout)
    assert_inert(r.stderr)


def test_the_action_check_mode_cannot_inject(repo: Path, tmp_path: Path) -> None:
    _config(repo, f"check_name: ok\nhelpers:\n  {json.dumps(EVIL)}: x\n")
    out, summary = tmp_path / "github_output", tmp_path / "summary.md"
    out.write_text("", encoding="utf-8")
    summary.write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env.update({"PYTHONPATH": str(ROOT), "INPUT_MODE": "check", "GITHUB_ACTIONS": "true",
                "GITHUB_WORKSPACE": str(repo), "GITHUB_OUTPUT": str(out), "GITHUB_STEP_SUMMARY": str(summary),
                "HOME": str(tmp_path)})
    r = subprocess.run([sys.executable, "-m", "gate"], cwd=repo, env=env, capture_output=True, text=True,
                       timeout=120, check=False)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert ".github/prod-readiness.yml" in r.stderr
    for log in (r.stdout, r.stderr, summary.read_text(encoding="utf-8")):
        assert_inert(log)
    assert "forged" not in out.read_text(encoding="utf-8")


def test_the_stream_filter_lets_only_the_gates_own_commands_through() -> None:
    buf = io.StringIO()
    s = DefusedStream(buf)
    own = command("::error file=a,line=1::found")
    s.write(f"{own}\n{EVIL}\n")
    s.write("::warn")
    s.flush()  # a partial line: decided from its start
    s.write("ing::split\n")
    log = buf.getvalue()
    assert log.startswith(own + "\n")
    assert log.count("::error") == 1 and ": :error file=a::forged" in log
    assert ": :warning::split" in log
    assert_no_commands(log.replace(own, ""))
    assert "##[" not in log
    assert defuse("a::b\n  ::x::y") == "a::b\n  : :x::y"
