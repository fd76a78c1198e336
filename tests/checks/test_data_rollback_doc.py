"""data.rollback-doc: RUNBOOK.md "Rollback" mentions migrations, when there are migrations."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.data_fixture import BASE, repo
from tests.helpers import item

ID = "data.rollback-doc"
MIGS = {"0001_init.sql": BASE}


def test_pass_when_rollback_mentions_migrations(tmp_path: Path) -> None:
    runbook = "# Pay runbook\n\n## Alarms\n\nNone.\n\n## Rollback\n\nRedeploy the previous image. Migrations are expand-only:\nno down migration is needed.\n"
    res = item(repo(tmp_path, MIGS, runbook=runbook), "pay", ID)
    assert res.status == Status.PASS
    assert "RUNBOOK.md 'Rollback' (line 7) covers migrations" in res.reason


def test_fail_when_rollback_does_not_mention_migrations(tmp_path: Path) -> None:
    runbook = "# Pay runbook\n\n## Rollback\n\nRedeploy the previous image.\n"
    res = item(repo(tmp_path, MIGS, runbook=runbook), "pay", ID)
    assert res.status == Status.FAIL
    f = res.findings[0]
    assert (f.path, f.line) == ("services/pay/RUNBOOK.md", 3)
    assert "does not mention migrations" in f.message


def test_fail_without_rollback_section_points_at_title(tmp_path: Path) -> None:
    runbook = "\n# Pay runbook\n\n## Alarms\n\nNone.\n"
    res = item(repo(tmp_path, MIGS, runbook=runbook), "pay", ID)
    assert res.status == Status.FAIL
    assert res.findings[0].line == 1
    assert "has no 'Rollback' section" in res.findings[0].message


def test_fail_empty_section_and_missing_runbook(tmp_path: Path) -> None:
    res = item(repo(tmp_path, MIGS, runbook="# R\n\n## Rollback\n\n## Alarms\n\nNone.\n"), "pay", ID)
    assert res.status == Status.FAIL and "is empty" in res.findings[0].message and res.findings[0].line == 3
    (tmp_path / "services/pay/RUNBOOK.md").unlink()
    res = item(tmp_path, "pay", ID)
    assert res.status == Status.FAIL and res.findings[0].message.startswith("RUNBOOK.md is missing")


def test_skip_without_migrations(tmp_path: Path) -> None:
    res = item(repo(tmp_path, {}, runbook="# R\n\n## Rollback\n\nRedeploy.\n"), "pay", ID)
    assert res.status == Status.SKIP and res.reason == "no migrations"
