"""docs.events: a reference page per published event; none → skip."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.core_fixture import SERVICE_YAML, evaluate, line_of

ID = "docs.events"


def test_event_page_present_passes(tmp_path: Path) -> None:
    assert evaluate(tmp_path, ID).status == Status.PASS


def test_missing_event_page_at_event_line(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("publishes: [payment.captured]", "publishes:\n      - payment.captured\n      - payment.refunded")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "'payment.refunded' has no reference page" in f.message and "docs/events/payment.refunded.md" in f.message
    assert f.line == line_of(text, "- payment.refunded")


def test_no_published_event_is_skipped(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("publishes: [payment.captured]", "publishes: []")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.SKIP


def test_a_folder_named_like_the_event_page_is_no_page(tmp_path: Path) -> None:
    evaluate(tmp_path, ID)
    page = tmp_path / "docs" / "events" / "payment.captured.md"
    page.unlink()
    page.mkdir()
    r = evaluate(tmp_path, ID, event=None)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == ("published event 'payment.captured' has no reference page: generate and commit "
                         "docs/events/payment.captured.md")
