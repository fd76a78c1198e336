"""docs.service-page: front matter title, description, status, owner (equal), dashboards."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.core_fixture import PAGE, evaluate, line_of

ID = "docs.service-page"


def test_complete_front_matter_passes(tmp_path: Path) -> None:
    assert evaluate(tmp_path, ID).status == Status.PASS


def test_status_differs_from_service_yaml_at_key_line(tmp_path: Path) -> None:
    text = PAGE.replace("status: stable", "status: beta")
    r = evaluate(tmp_path, ID, page=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "front matter status is 'beta' but service.yaml says 'stable'" in f.message
    assert f.path == "docs/services/payments.md" and f.line == line_of(text, "status: beta")


def test_missing_keys_at_front_matter_start(tmp_path: Path) -> None:
    text = PAGE.replace("description: Card and ACH payments.\n", "").replace(
        "dashboards:\n  - https://grafana.platform.loop.health/d/payments\n", "")
    r = evaluate(tmp_path, ID, page=text)
    assert r.status == Status.FAIL
    assert [(f.line, f.message.split(":")[0]) for f in r.findings] == [
        (1, "front matter has no description"), (1, "front matter has no dashboards")]


def test_dashboard_entry_not_a_url(tmp_path: Path) -> None:
    text = PAGE.replace("  - https://grafana.platform.loop.health/d/payments", "  - grafana payments board")
    r = evaluate(tmp_path, ID, page=text)
    assert r.status == Status.FAIL
    assert "is not a URL" in r.findings[0].message and r.findings[0].line == line_of(text, "grafana payments board")


def test_page_without_front_matter(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, page="# Payments\n")
    assert r.status == Status.FAIL and "no front matter" in r.findings[0].message and r.findings[0].line == 1


def test_missing_page(tmp_path: Path) -> None:
    assert evaluate(tmp_path, ID, page=None).status == Status.FAIL


def test_owner_missing_from_service_yaml_cannot_be_equal(tmp_path: Path) -> None:
    from tests.checks.core_fixture import SERVICE_YAML

    text = SERVICE_YAML.replace("owner: team-payments\n", "")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == ("service.yaml has no owner, so the service page's owner cannot be checked against it: "
                         "set `owner` in service.yaml")
    assert f.path == "services/payments/service.yaml" and f.line == 1


def test_title_that_shows_nothing_is_no_title(tmp_path: Path) -> None:
    text = PAGE.replace("title: Payments", 'title: "\\u200b"')
    r = evaluate(tmp_path, ID, page=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == "front matter has no title: add `title:` to the page's front matter"
    assert f.line == line_of(text, "title:")
