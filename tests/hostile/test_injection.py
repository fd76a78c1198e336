"""Output injection and secrets, end to end through the Action entrypoint (``python -m gate pr``
as the runner runs it, against the GitHub stand-in) and the CLI: text from the pull request
cannot emit workflow commands, cannot add step outputs, cannot add Markdown/HTML to the job
summary, the check run or the catalog page; the token never appears anywhere."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.github.conftest import (  # noqa: F401  (fixtures)
    TOKEN,
    Scenario,
    openapi,
    platform_repo,
    pr_event,
    run_gate,
    standin_factory,
    webhook_examples,
)
from tests.hostile.conftest import ROOT, assert_clean, run_cli

CMD = "::set-output name=ready::true"
MASK = "::add-mask::hostile"
STOP = "::stop-commands::abc"
ERR = "::error file=x::forged"
HTML = '<img src=x onerror=alert(1)><script>alert(1)</script><iframe src="javascript:alert(1)">'
MD = "[click](javascript:alert(1)) ![t](https://evil.example/t.png) @octocat #1 <!-- x -->"
ANSI = "\x1b[2J\x1b[31mRED\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"
DELIM = "\nready<<EOF\ntrue\nEOF\nghadelimiter_00\n"
PAYLOAD = f"x\n{CMD}\n{MASK}\r\n{STOP}\n  {ERR}\n{HTML}\n{MD}\n{ANSI}{DELIM}"

EVIL_SERVICE = """
name: payments
description: {desc}
owner: {owner}
status: stable
tier: 1
brand_scope: [loop]
phi: false
on_call:
  primary: {owner}
  secondary: bob
  pagerduty_schedule: P1A2B3C
dashboards:
  - {url}
contracts:
  openapi: openapi.yaml
"""

#: workflow commands a hostile line may try; the gate itself emits only annotations + stop-commands
FORBIDDEN = ("set-output", "add-mask", "set-env", "add-path", "save-state", "echo", "debug",
             "group", "endgroup", "add-matcher", "remove-matcher")


def runner_commands(log: str) -> list[str]:
    """The workflow commands the Actions runner would execute in ``log`` (stdout or stderr), with
    its ``::stop-commands::TOKEN`` … ``::TOKEN::`` handling (leading white space trimmed)."""
    out: list[str] = []
    stop: str | None = None
    for raw in log.splitlines():
        line = raw.lstrip()
        if stop is not None:
            if line == f"::{stop}::":
                stop = None
            continue
        m = re.match(r"::([A-Za-z-]+)( [^:]*)?::(.*)$", line)
        if not m:
            continue
        if m.group(1) == "stop-commands":
            stop = m.group(3)
            continue
        out.append(line)
    return out


def assert_no_commands(log: str) -> None:
    for c in runner_commands(log):
        name = c[2:].split(" ", 1)[0].split("::", 1)[0]
        assert name in ("error", "warning", "notice"), f"forged workflow command: {c!r}"
        # annotations the gate emits: properties and data escaped (no raw payload)
        assert "forged" not in c and "hostile" not in c, c


def assert_inert_markdown(md: str) -> None:
    """No raw HTML, link, image or mention outside code spans (text inside a code span is shown
    as it is and never notifies); no invisible character is used to break a mention."""
    assert "\x1b" not in md and "\u200b" not in md
    for line in md.splitlines():
        assert line.count("`") % 2 == 0, f"an unclosed code span: {line!r}"
    outside = re.sub(r"`[^`]*`", "", md)
    for bad in ("<img", "<script", "<iframe", "](javascript:", "<!--", "@octocat"):
        assert bad not in outside, bad
    assert "![t](" not in md


def _evil_repo(ws: Path) -> tuple[str, str]:
    svc = EVIL_SERVICE.format(desc=json.dumps(PAYLOAD), owner=json.dumps("@octocat " + HTML),
                              url=json.dumps("javascript:alert(1)//" + CMD))
    evil_dir = "services/pay\n" + CMD
    head_files = {
        "services/payments/service.yaml": svc,
        "services/payments/src/index.ts": f"// TODO {PAYLOAD!r}\nexport const x = fetch({json.dumps(PAYLOAD)});\n",
        f"services/payments/src/{ERR}.ts": "export const y = 1;\n",
        "services/payments/RUNBOOK.md": f"# Runbook\n\n## Alarms\n\n{PAYLOAD}\n\n[{HTML}]({MD})\n",
        ".changeset/evil.md": f"---\n'@platform/payments': patch\n---\n\n{PAYLOAD}\n",
        "docs/services/payments.md": f"---\ntitle: {json.dumps(PAYLOAD)}\n---\n# Payments\n\n[x](./{CMD}.md) [y]({HTML})\n",
        f"{evil_dir}/service.yaml": "name: evil\nstatus: stable\n",
        f"{evil_dir}/src/a.ts": "export const z = 1;\n",
    }
    return platform_repo(ws, {"payments": "stable"}, head_files=head_files)


def _payloads_of(standin: Any) -> str:
    return "\n".join(json.dumps(r.body) for r in standin.requests if r.body is not None)


def test_pr_mode_text_cannot_inject(tmp_path: Path, standin_factory, webhook_examples) -> None:  # noqa: F811
    ws = tmp_path / "workspace"
    base, head = _evil_repo(ws)
    s = Scenario(head_sha=head, base_sha=base, title="::error::pwned " + PAYLOAD)
    names = ["services/payments/service.yaml", "services/payments/src/index.ts",
             f"services/payments/src/{ERR}.ts", "services/payments/RUNBOOK.md", ".changeset/evil.md",
             "docs/services/payments.md", "services/pay\n" + CMD + "/src/a.ts"]
    s.files = [{"sha": "0" * 40, "filename": p, "status": "added", "additions": 1, "deletions": 0, "changes": 1}
               for p in names]
    s.reviews = [{"id": 1, "user": {"login": "octocat"}, "state": "APPROVED", "commit_id": head,
                  "submitted_at": "2026-11-29T10:00:00Z", "body": PAYLOAD}]
    s.check_runs = [{"id": 11, "name": "test\n" + CMD, "head_sha": head, "status": "completed",
                     "conclusion": "failure", "details_url": "javascript:alert(1)"}]
    s.statuses = [{"context": HTML, "state": "failure", "target_url": "javascript:alert(1)",
                   "description": PAYLOAD}]
    standin = standin_factory(s)
    ev = pr_event(webhook_examples, s)
    ev["pull_request"]["title"] = "::error::pwned " + PAYLOAD
    ev["pull_request"]["body"] = PAYLOAD
    env_file = tmp_path / "github_env"
    env_file.write_text("", encoding="utf-8")
    run = run_gate(ws, standin, ev, extra_env={"GITHUB_ENV": str(env_file)})
    assert run.code in (0, 1), run.stderr
    assert "Traceback" not in run.stderr
    assert env_file.read_text(encoding="utf-8") == ""  # the gate never writes GITHUB_ENV
    assert_no_commands(run.stdout)
    assert_no_commands(run.stderr)
    # step outputs: exactly the four the action declares, single values
    assert set(run.outputs) == {"ready", "report", "failed-items", "services"}, run.outputs
    assert run.outputs["ready"] == "false"
    raw = (tmp_path / "github_output").read_text(encoding="utf-8")
    assert not re.search(r"^ready<<EOF$", raw, re.M)
    assert json.loads(run.outputs["services"])
    # the job summary and the check run's Markdown are inert
    assert_inert_markdown(run.summary)
    runs = standin.gate_runs()
    assert len(runs) == 1
    out = runs[0].get("output") or {}
    assert_inert_markdown(str(out.get("summary", "")) + str(out.get("text", "") or ""))
    assert_inert_markdown(str(out.get("title", "")))
    for a in runs[0]["annotations"]:
        assert "\x1b" not in a["message"] + a.get("title", "")
    assert TOKEN not in run.stdout + run.stderr + run.summary + _payloads_of(standin)
    for p in (ws / "prodgate-report").glob("*"):
        assert TOKEN not in p.read_text(encoding="utf-8")


def test_fork_fallback_annotations_cannot_inject(tmp_path: Path, standin_factory, webhook_examples) -> None:  # noqa: F811
    ws = tmp_path / "workspace"
    base, head = _evil_repo(ws)
    s = Scenario(head_sha=head, base_sha=base, read_only=True)
    s.files = [{"sha": "0" * 40, "filename": p, "status": "added", "additions": 1, "deletions": 0, "changes": 1}
               for p in ("services/payments/RUNBOOK.md", "docs/services/payments.md", f"services/payments/src/{ERR}.ts")]
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s, fork=True))
    assert run.code in (0, 1), run.stderr
    cmds = runner_commands(run.stdout)
    assert cmds, "the fallback emits annotations"
    assert_no_commands(run.stdout)
    assert_no_commands(run.stderr)
    assert_inert_markdown(run.summary)


def test_cli_text_report_strips_control_sequences(tmp_path: Path) -> None:
    from tests.hostile.conftest import platform

    repo = platform(tmp_path)
    p = repo / "services/payments/service.yaml"
    text = p.read_text(encoding="utf-8").replace("status: stable", "status: " + json.dumps("beta" + PAYLOAD))
    text = text.replace("owner: team-payments", "owner: " + json.dumps(PAYLOAD))
    p.write_text(text, encoding="utf-8")
    run = run_cli(repo, "services/payments")
    assert_clean(run)
    for name in ("report.txt", "report.md"):
        body = run.files[name]
        assert "\x1b" not in body and "\r" not in body, name
        assert_no_commands(body)
    assert_inert_markdown(run.files["report.md"])


def test_catalog_page_is_inert(tmp_path: Path) -> None:
    from tests.hostile.conftest import platform

    repo = platform(tmp_path)
    p = repo / "services/payments/service.yaml"
    text = p.read_text(encoding="utf-8")
    text = text.replace("description: Card and ACH payments for all brands.", "description: " + json.dumps(PAYLOAD))
    text = text.replace("owner: team-payments", "owner: " + json.dumps(HTML))
    text = text.replace("  - https://grafana.platform.loop.health/d/payments\n", "  - " + json.dumps("javascript:alert(1)") + "\n")
    p.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "gate", "catalog", "--offline", "--out", str(out),
                        "--now", "2026-11-29T12:00:00Z"], cwd=repo, capture_output=True, text=True, timeout=120,
                       env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}, check=False)
    assert r.returncode in (0, 1), r.stderr
    assert "Traceback" not in r.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    for bad in ("<img src=x", "<script>alert", "<iframe", 'href="javascript:', "\x1b", "onerror=alert(1)>"):
        assert bad not in page, bad
