"""``prodgate catalog [PATH] --out DIR``: what it writes, exit codes, incremental writes, progress."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from gate.cli import main
from gate.site import write_catalog
from tests.helpers import ROOT, write_tree
from tests.site import factory

NOW = "2026-11-29T12:00:00Z"
SVG = "{http://www.w3.org/2000/svg}"


def small_repo(root: Path, services: dict[str, str] | None = None) -> Path:
    """A platform repository with a few services (name → owner)."""
    services = services if services is not None else {"billing": "team-x", "ledger": "team-x", "payments": "team-y"}
    files: dict[str, str | bytes] = {"sst.config.ts": "export default {};\n"}
    for name, owner in services.items():
        files[f"services/{name}/service.yaml"] = (
            f"name: {json.dumps(name)}\nowner: {json.dumps(owner)}\nstatus: stable\ntier: 2\n"
        )
    return write_tree(root, files)


def catalog(out: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    return data


def test_writes_catalog_badges_and_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = small_repo(tmp_path / "repo")
    out = tmp_path / "site"
    assert main(["catalog", str(repo), "--out", str(out), "--now", NOW]) == 0
    assert capsys.readouterr() == ("", "")  # not a terminal: silent
    doc = catalog(out)
    schema = json.loads((ROOT / "gate" / "schemas" / "catalog.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)
    services = doc["services"]
    assert isinstance(services, list)
    assert [s["name"] for s in services] == ["billing", "ledger", "payments"]
    assert [s["owner"] for s in services] == ["team-x", "team-x", "team-y"]
    assert all(s["tier"] == 2 and s["status"] == "stable" for s in services)
    for s in services:
        root = ET.parse(out / s["badge"]["svg"]).getroot()
        title = root.find(f"{SVG}title")
        assert title is not None and title.text == ("prod-ready: ✓ ready" if s["ready"] else "prod-ready: ✗ not ready")
        endpoint = json.loads((out / s["badge"]["json"]).read_text(encoding="utf-8"))
        assert endpoint["message"] == ("✓" if s["ready"] else "✗")
        assert s["prod_monitor"] is not None  # catalog mode judges it as far as evidence allows
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count('class="svc ') == 3


def test_a_path_selects_services(tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "repo")
    out = tmp_path / "site"
    assert main(["catalog", str(repo / "services" / "ledger"), "--out", str(out), "--now", NOW]) == 0
    assert [s["name"] for s in catalog(out)["services"]] == ["ledger"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--config", "nope.yml"], "--config nope.yml: no such file"),
        (["--format", "html"], "--format 'html'"),
        (["--only", "no.such-item"], "unknown item id"),
        (["--now", "yesterday"], "--now"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    repo = small_repo(tmp_path / "repo")
    out = tmp_path / "site"
    assert main(["catalog", str(repo), "--out", str(out), *extra]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_bad_configuration_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = small_repo(tmp_path / "repo")
    write_tree(repo, {".github/prod-readiness.yml": "approval: {min_approvals: many}\n"})
    out = tmp_path / "site"
    assert main(["catalog", str(repo), "--out", str(out)]) == 2
    assert "min_approvals" in capsys.readouterr().err
    assert not out.exists()


def test_out_must_be_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = small_repo(tmp_path / "repo")
    (tmp_path / "file").write_text("x")
    assert main(["catalog", str(repo), "--out", str(tmp_path / "file")]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_a_path_without_service_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = small_repo(tmp_path / "repo")
    (repo / "docs").mkdir()
    assert main(["catalog", str(repo / "docs"), "--out", str(tmp_path / "site")]) == 2
    assert "no service there" in capsys.readouterr().err


def test_not_ready_services_do_not_fail_the_run(tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "repo")
    out = tmp_path / "site"
    assert main(["catalog", str(repo), "--out", str(out), "--now", NOW, "--strict"]) == 0
    assert catalog(out)["summary"] == {"services": 3, "ready": 0, "not_ready": 3}


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = write_catalog(factory.mixed(), out)
    assert "catalog.json" in first and "index.html" in first and "badges/ledger.svg" in first
    assert write_catalog(factory.mixed(), out) == []
    # one service changes verdict: only what shows it is rewritten
    changed = factory.report(
        factory.service("billing", "team-x", ready=True),
        factory.service("ledger", "team-x", ready=True),
        factory.service("payments", "team-y", ready=False),
        factory.service("search", "team-y", ready=True, tier=None, status="beta"),
    )
    assert sorted(write_catalog(changed, out)) == ["badges/ledger.json", "badges/ledger.svg", "catalog.json", "index.html"]
    assert not list(out.rglob(".prodgate-*"))  # no temporary file left behind


def test_badges_of_removed_services_are_pruned(tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "repo")
    out = tmp_path / "site"
    (out / "badges").mkdir(parents=True)
    (out / "badges" / "unrelated.svg").write_text("<svg/>")  # not ours: kept
    assert main(["catalog", str(repo), "--out", str(out), "--now", NOW]) == 0
    assert (out / "badges" / "payments.svg").is_file()
    for f in (repo / "services" / "payments").iterdir():
        f.unlink()
    (repo / "services" / "payments").rmdir()
    assert main(["catalog", str(repo), "--out", str(out), "--now", NOW]) == 0
    assert sorted(p.name for p in (out / "badges").iterdir()) == [
        "billing.json", "billing.svg", "ledger.json", "ledger.svg", "unrelated.svg",
    ]


def test_selecting_one_service_keeps_the_other_badges(tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "repo")
    out = tmp_path / "site"
    assert main(["catalog", str(repo), "--out", str(out), "--now", NOW]) == 0
    assert main(["catalog", str(repo / "services" / "ledger"), "--out", str(out), "--now", NOW]) == 0
    assert (out / "badges" / "payments.svg").is_file()


def test_a_name_that_is_not_one_folder_is_refused(tmp_path: Path) -> None:
    from gate import UsageError

    with pytest.raises(UsageError):
        write_catalog(factory.report(factory.service("../escape", "x", ready=True)), tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_report_formats_can_be_written_beside(tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "repo")
    out = tmp_path / "site"
    report = tmp_path / "report.json"
    assert main(["catalog", str(repo), "--out", str(out), "--now", NOW, "--format", "json", "--output", str(report)]) == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["mode"] == "catalog"
    assert [s["ready"] for s in data["services"]] == [s["ready"] for s in catalog(out)["services"]]  # type: ignore[union-attr]


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = small_repo(tmp_path / "repo")
    err = Tty()
    monkeypatch.setattr("sys.stderr", err)
    assert main(["catalog", str(repo), "--out", str(tmp_path / "site"), "--now", NOW]) == 0
    text = err.getvalue()
    frames = [f for f in text.split("\r") if f.startswith("prodgate catalog [")]
    assert [f.split("]")[1].split("\x1b")[0].strip() for f in frames] == ["1/3 billing", "2/3 ledger", "3/3 payments"]
    assert frames[0].startswith("prodgate catalog [" + "-" * 24 + "]")
    assert "prodgate catalog: 3 services, 0 ready" in text
    assert text.rstrip("\n").split("\r")[-1].startswith("\x1b[K")  # the bar is cleared at the end


def test_progress_names_cannot_drive_the_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = small_repo(tmp_path / "repo", {"a\x1b]0;title\x07b": "team"})
    err = Tty()
    monkeypatch.setattr("sys.stderr", err)
    assert main(["catalog", str(repo), "--out", str(tmp_path / "site"), "--now", NOW]) == 0
    assert "\x1b]" not in err.getvalue() and "\x07" not in err.getvalue()


def test_outside_actions_there_is_no_github_evidence_and_it_says_so(tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "repo")
    out = tmp_path / "site"
    assert main(["catalog", str(repo), "--out", str(out), "--now", NOW]) == 0
    notes = catalog(out)["notes"]
    assert isinstance(notes, list) and any("No GitHub evidence" in n for n in notes)
    assert "No GitHub evidence" in (out / "index.html").read_text(encoding="utf-8")


def test_in_actions_the_deployments_are_read_for_prod_monitor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gate.github.gather
    import gate.modes.catalog
    from gate.github.evidence import GitHubEvidence

    repo = small_repo(tmp_path / "repo")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_TOKEN", "t0ken")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/platform")
    monkeypatch.setenv("GITHUB_SHA", "a" * 40)
    calls: list[tuple[object, ...]] = []
    evidence = GitHubEvidence(None, errors={"deployments:payments-prod": "GitHub answered 502"}, sha="a" * 40)

    def fake_gather(*args: object, **kw: object) -> GitHubEvidence:
        calls.append(args)
        return evidence

    seen: list[object] = []
    real_evaluate = gate.modes.catalog.evaluate

    def spy(run: object, *a: object, **kw: object) -> object:
        seen.append(run)
        return real_evaluate(run, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(gate.github.gather, "gather", fake_gather)
    monkeypatch.setattr(gate.modes.catalog, "evaluate", spy)
    out = tmp_path / "site"
    assert main(["catalog", str(repo), "--out", str(out), "--now", NOW]) == 0
    (args,) = calls
    assert args[2:5] == ("acme", "platform", None) and args[5] == "a" * 40
    assert [s.name for s in args[6]] == ["billing", "ledger", "payments"]  # type: ignore[attr-defined]
    assert args[8] == "catalog"
    (run,) = seen
    assert run.github is evidence and run.mode == "catalog"  # type: ignore[attr-defined]
    notes = catalog(out)["notes"]
    assert notes == ["GitHub evidence deployments:payments-prod is not available: GitHub answered 502"]
