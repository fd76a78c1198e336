"""The engine: every id listed, waivers, advisory, file problems, crash containment, exit codes."""

from __future__ import annotations

import gc
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from gate import catalog
from gate.cli import main
from gate.engine import evaluate
from gate.model import Finding, Result, Status, Unavailable, failed, unverified
from tests.helpers import item, make_run, write_tree

SCHEMA = json.loads((Path(__file__).parent.parent / "gate/schemas/report.schema.json").read_text())

MINI = {
    "sst.config.ts": "",
    "services/foo/service.yaml": """
    name: foo
    owner: team-foo
    status: stable
    readiness:
      waivers:
        - item: oncall.primary
          reason: Shared rota, primary named in PagerDuty only.
          approved_by: carol
          expires: 2027-01-31
        - item: oncall.secondary
          reason: old
          approved_by: carol
          expires: 2026-01-31
    """,
}


def patch_check(monkeypatch: pytest.MonkeyPatch, item_id: str, fn: object) -> None:
    """Replace the check of ``item_id``: ``check`` of the module its catalog entry names."""
    monkeypatch.setattr(importlib.import_module(catalog.BY_ID[item_id].module), "check", fn)


def _fake(status: Status, *findings: Finding) -> object:
    def check(ctx: object) -> Result:
        return Result(status, findings, "fake")

    return check


def test_report_lists_every_item_in_catalog_order(tmp_path: Path) -> None:
    write_tree(tmp_path, MINI)
    run = make_run(tmp_path)
    report = evaluate(run, run.all_services)
    doc = report.to_json()
    jsonschema.validate(doc, SCHEMA)
    assert [i["id"] for i in doc["services"][0]["items"]] == [i.id for i in catalog.SERVICE_ITEMS]
    assert [i["id"] for i in doc["items"]] == ["promotion.approved", "promotion.ci-green", "promotion.freeze"]


def test_waiver_turns_fail_into_waived(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, MINI)
    patch_check(monkeypatch, "oncall.primary", _fake(Status.FAIL, Finding("no primary", "services/foo/service.yaml", 1)))
    it = item(tmp_path, "foo", "oncall.primary")
    assert it.status == Status.WAIVED
    assert it.waiver is not None and it.waiver.approved_by == "carol"
    assert "waived by carol until 2027-01-31" in it.reason


def test_expired_waiver_changes_nothing_and_is_reported_at_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, MINI)
    patch_check(monkeypatch, "oncall.secondary", _fake(Status.FAIL, Finding("no secondary", "services/foo/service.yaml", 1)))
    it = item(tmp_path, "foo", "oncall.secondary")
    assert it.status == Status.FAIL
    assert it.findings[0].message == "no secondary"
    assert "expired on 2026-01-31" in it.findings[1].message
    assert it.findings[1].line == 10


def test_waiver_targets_cover_only_their_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = dict(MINI)
    files["services/foo/service.yaml"] = """
    name: foo
    readiness:
      waivers:
        - item: data.brand-id
          reason: Global lookup table.
          approved_by: carol
          expires: 2027-01-31
          targets: [currencies, services/foo/migrations/0002_x.sql:3]
    """
    write_tree(tmp_path, files)
    f1 = Finding("currencies has no brand_id", "services/foo/migrations/0001_x.sql", 1, target="currencies")
    f2 = Finding("x has no brand_id", "services/foo/migrations/0002_x.sql", 3, target="x")
    f3 = Finding("y has no brand_id", "services/foo/migrations/0003_y.sql", 1, target="y")
    patch_check(monkeypatch, "data.brand-id", _fake(Status.FAIL, f1, f2))
    assert item(tmp_path, "foo", "data.brand-id").status == Status.WAIVED
    patch_check(monkeypatch, "data.brand-id", _fake(Status.FAIL, f1, f3))
    it = item(tmp_path, "foo", "data.brand-id")
    assert it.status == Status.FAIL
    assert it.findings[0].message == "y has no brand_id"
    assert it.findings[1].message.startswith("waived: currencies")


def test_advisory_turns_fail_into_warn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, MINI)
    patch_check(monkeypatch, "docs.events", _fake(Status.FAIL, Finding("x", "a", 1)))
    it = item(tmp_path, "foo", "docs.events", config_text="advisory: [docs.events]\n")
    assert it.status == Status.WARN
    assert it.findings[0].level.value == "warning"


def test_a_crashing_check_fails_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, MINI)

    def boom(ctx: object) -> Result:
        raise RuntimeError("bug")

    patch_check(monkeypatch, "docs.events", boom)
    it = item(tmp_path, "foo", "docs.events")
    assert it.status == Status.FAIL
    assert "internal error" in it.findings[0].message


def _module_of(monkeypatch: pytest.MonkeyPatch, modules: dict[str, str]) -> None:
    """Make the catalog items in ``modules`` (id → module name) name that module as their check's."""
    real = catalog.Item.module

    def module(self: catalog.Item) -> str:
        return modules.get(self.id) or real.fget(self)  # type: ignore[attr-defined, no-any-return]

    monkeypatch.setattr(catalog.Item, "module", property(module))


BROKEN_MODULES = {
    "missing": "",  # no such module
    "syntax": "def check(ctx:\n",
    "raises": "raise ImportError('a dependency is missing')\n",
    "nocheck": "def chek(ctx): ...\n",
}


@pytest.fixture
def broken_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A package ``prodgate_broken_checks`` with a module per kind of broken check; each of
    docs.events, oncall.escalation, data.brand-id and promotion.freeze names one of them."""
    pkg = tmp_path / "pkgs" / "prodgate_broken_checks"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    for name, text in BROKEN_MODULES.items():
        if text:
            (pkg / f"{name}.py").write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    ids = {"docs.events": "missing", "oncall.escalation": "syntax", "data.brand-id": "raises",
           "promotion.freeze": "nocheck"}
    modules = {i: f"prodgate_broken_checks.{m}" for i, m in ids.items()}
    _module_of(monkeypatch, modules)
    yield modules
    for m in list(sys.modules):
        if m.startswith("prodgate_broken_checks"):
            del sys.modules[m]


def test_a_check_module_that_cannot_be_imported_fails_its_item_closed_and_the_run_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        broken_checks: dict[str, str]) -> None:
    write_tree(tmp_path, MINI)
    (tmp_path / "services/bar").mkdir()
    (tmp_path / "services/bar/service.yaml").write_text((tmp_path / "services/foo/service.yaml").read_text()
                                                       .replace("name: foo", "name: bar"))
    for it in catalog.ITEMS:
        if it.id not in broken_checks:
            patch_check(monkeypatch, it.id, _fake(Status.PASS))
    run = make_run(tmp_path)
    report = evaluate(run, run.all_services)
    kinds = {"docs.events": "ModuleNotFoundError", "oncall.escalation": "SyntaxError", "data.brand-id": "ImportError",
             "promotion.freeze": "AttributeError"}
    items = [i for s in report.services for i in s.items] + list(report.items)
    assert len(report.services) == 2  # each service: a failed import is tried again, and fails again
    for i in items:
        if i.id in kinds:
            assert i.status == Status.FAIL, i.id
            assert [f.message for f in i.findings] == [
                f"prodgate could not evaluate {i.id} (internal error: {kinds[i.id]} loading its check module "
                f"{broken_checks[i.id]}); the item fails closed — please report this"]
            assert i.findings[0].level.value == "failure" and i.reason == "internal error"
        else:
            assert i.status == Status.PASS, i.id  # every other item was evaluated
    err = capsys.readouterr().err
    assert err.count("prodgate: internal error in docs.events loading its check module") == 2
    assert "prodgate: internal error in promotion.freeze loading its check module" in err


def test_prodgate_check_with_a_broken_check_module_exits_1_with_the_finding(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        broken_checks: dict[str, str]) -> None:
    write_tree(tmp_path, MINI)
    for it in catalog.ITEMS:
        if it.id not in broken_checks:
            patch_check(monkeypatch, it.id, _fake(Status.PASS))
    out = tmp_path / "out"
    assert main(["check", str(tmp_path), "--now", "2026-11-29T12:00:00Z", "--format", "json",
                 "--out-dir", str(out)]) == 1
    doc = json.loads((out / "report.json").read_text())
    jsonschema.validate(doc, SCHEMA)
    by_id = {i["id"]: i for i in doc["services"][0]["items"] + doc["items"]}
    assert by_id["oncall.escalation"]["status"] == "fail"
    assert by_id["oncall.escalation"]["findings"][0]["message"].startswith(
        "prodgate could not evaluate oncall.escalation (internal error: SyntaxError loading its check module")
    assert by_id["promotion.freeze"]["status"] == "fail"
    assert by_id["docs.service-page"]["status"] == "pass"
    assert "Traceback" not in capsys.readouterr().err


def test_missing_evidence_raised_by_a_check_is_the_items_result(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, MINI)

    def offline(ctx: object) -> Result:
        raise Unavailable(unverified("no GitHub evidence in this run"))

    patch_check(monkeypatch, "docs.events", offline)
    it = item(tmp_path, "foo", "docs.events")
    assert it.status == Status.UNVERIFIED and it.reason == "no GitHub evidence in this run" and not it.findings

    def unanswered(ctx: object) -> Result:
        raise Unavailable(failed(Finding("GitHub did not answer"), reason="evidence could not be fetched"))

    patch_check(monkeypatch, "docs.events", unanswered)
    it = item(tmp_path, "foo", "docs.events")
    assert it.status == Status.FAIL and it.findings[0].message == "GitHub did not answer"


def test_the_garbage_collector_is_paused_around_each_check_and_restored(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, MINI)
    seen: list[bool] = []

    def check(ctx: object) -> Result:
        seen.append(gc.isenabled())
        return Result(Status.PASS)

    def boom(ctx: object) -> Result:
        seen.append(gc.isenabled())
        raise RuntimeError("bug")

    patch_check(monkeypatch, "docs.events", check)
    assert gc.isenabled()
    item(tmp_path, "foo", "docs.events")
    assert seen == [False] and gc.isenabled()
    patch_check(monkeypatch, "docs.events", boom)
    item(tmp_path, "foo", "docs.events")
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        item(tmp_path, "foo", "docs.events")
        assert not gc.isenabled()  # a collector paused by the caller stays paused
    finally:
        gc.enable()


def test_broken_service_yaml_fails_items_at_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"sst.config.ts": "", "services/foo/service.yaml": "name: foo\nowner: [\n"})

    def needs_manifest(ctx: object) -> Result:
        ctx.manifest  # type: ignore[attr-defined]  # noqa: B018
        return Result(Status.PASS)

    patch_check(monkeypatch, "oncall.primary", needs_manifest)
    it = item(tmp_path, "foo", "oncall.primary")
    assert it.status == Status.FAIL
    assert it.findings[0].path == "services/foo/service.yaml"
    assert it.findings[0].line == 3


def test_cli_exit_codes_and_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, MINI)
    for it in catalog.SERVICE_ITEMS:
        patch_check(monkeypatch, it.id, _fake(Status.PASS))
    assert main(["check", str(tmp_path), "--now", "2026-11-29T12:00:00Z"]) == 0  # change items unverified: not blocking
    assert main(["check", str(tmp_path), "--strict"]) == 1
    patch_check(monkeypatch, "docs.events", _fake(Status.FAIL, Finding("missing page", "docs/events/x.md", None)))
    out = tmp_path / "out"
    assert main(["check", str(tmp_path), "--format", "json,sarif,markdown,text", "--out-dir", str(out)]) == 1
    doc = json.loads((out / "report.json").read_text())
    jsonschema.validate(doc, SCHEMA)
    assert doc["ready"] is False
    sarif = json.loads((out / "report.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    assert {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]} == set(catalog.BY_ID)
    assert any(r["ruleId"] == "docs.events" for r in sarif["runs"][0]["results"])
    assert "docs.events" in (out / "report.md").read_text()
    capsys.readouterr()
    assert main(["check", str(tmp_path), "--format", "json,text"]) == 2
    assert "several formats on stdout" in capsys.readouterr().err
    assert main(["check", str(tmp_path), "--only", "nope.x"]) == 2
    assert main(["check", str(tmp_path / "missing")]) == 2


def test_text_report_shows_file_line_and_no_colour_when_piped(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, MINI)
    patch_check(monkeypatch, "docs.events", _fake(Status.FAIL, Finding("add docs/events/x.md", "docs/events/x.md", 3)))
    main(["check", str(tmp_path)])
    out = capsys.readouterr().out
    assert "✗ foo: not ready — " in out
    assert "  services/foo · stable · " in out
    assert "docs/events/x.md:3  add docs/events/x.md" in out
    assert "\x1b[" not in out


def test_a_run_leaves_no_reference_cycle_through_the_workspace() -> None:
    """The parsed repository is freed as soon as the run is dropped, by reference counting alone:
    a cycle through the workspace's cache (a resolver in the code model holding ``ws.text``) kept
    it for the garbage collector — 1.1 s of collection at exit on 100 services."""
    import gc
    import weakref

    from gate.engine import evaluate
    from tests.helpers import ROOT, make_run

    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        run = make_run(ROOT / "examples" / "platform")
        report = evaluate(run, run.all_services, None)
        assert report.services
        ws = weakref.ref(run.ws)
        del run, report
        assert ws() is None
    finally:
        if was:
            gc.enable()


def test_a_finding_at_line_0_has_no_line_in_the_report() -> None:
    """The report schema counts lines from 1: a line 0 (a position the gate could not place) is
    written as no line, never as a report that breaks its own schema."""
    from gate.model import Finding

    assert Finding("m", "a.ts", 0).to_json()["line"] is None
    assert Finding("m", "a.ts", 0, 0).to_json()["end_line"] is None
    assert Finding("m", "a.ts", 3).to_json()["end_line"] == 3
    assert Finding("m", "a.ts", 3, 0).to_json()["end_line"] == 3
