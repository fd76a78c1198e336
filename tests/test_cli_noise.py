"""What a newcomer reads stays short: ``--only`` leaves the rest out, a broken service.yaml is
reported once, one line per unverified item, no repeated findings, no workflow commands outside
GitHub Actions, Markdown without invisible characters or literal backslashed backticks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gate.cli import main
from gate.render.common import brief
from tests.helpers import EXAMPLE, write_tree

NOW = "2026-11-29T12:00:00Z"
PAYMENTS = EXAMPLE / "services" / "payments"
LABS = EXAMPLE / "services" / "labs"


@pytest.fixture(autouse=True)
def _no_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GITHUB_ACTIONS", "GITHUB_TOKEN", "INPUT_MODE", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT"):
        monkeypatch.delenv(var, raising=False)


def test_only_leaves_unselected_items_out_of_text_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    only = "artifacts.readme,data.brand-id"
    assert main(["check", str(PAYMENTS), "--now", NOW, "--only", only]) == 0
    out = capsys.readouterr().out
    assert "not selected" not in out.split("\n", 1)[1].rsplit("\n", 2)[0]  # only the headline counts them
    assert "services/payments · stable · 2 pass\n" in out
    assert "unverified" not in out and "conventions.conformance" not in out
    assert main(["check", str(PAYMENTS), "--now", NOW, "--only", only, "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert "`services/payments` · 2 pass\n" in md
    assert "deployment.dns" not in md and "promotion.approved" not in md


def test_only_keeps_the_json_shape_with_skip_not_selected(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert main(["check", str(PAYMENTS), "--now", NOW, "--only", "artifacts.readme", "--format", "json", "--output", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    (svc,) = doc["services"]
    assert len(svc["items"]) == 60
    by = {i["id"]: i for i in svc["items"]}
    assert by["artifacts.readme"]["status"] == "pass"
    assert by["data.brand-id"]["status"] == "skip" and by["data.brand-id"]["reason"] == "not selected"
    assert svc["counts"]["skip"] == 59 and svc["counts"]["unverified"] == 0
    assert svc["ready"] is False and doc["ready"] is False  # what was not judged is not proven


def test_strict_only_run_blocks_on_what_it_did_not_judge() -> None:
    assert main(["check", str(PAYMENTS), "--now", NOW, "--only", "artifacts.readme", "--strict", "--format", "json",
                 "--output", "/dev/null"]) == 1


MALFORMED = {
    "sst.config.ts": "",
    "services/foo/service.yaml": "name: foo\nowner: team-foo\nstatus: [stable\n",
}


def test_a_malformed_service_yaml_is_reported_once_at_its_line(tmp_path: Path) -> None:
    write_tree(tmp_path, MALFORMED)
    out = tmp_path / "r.json"
    main(["check", str(tmp_path), "--now", NOW, "--format", "json", "--output", str(out)])
    (svc,) = json.loads(out.read_text(encoding="utf-8"))["services"]
    hits = [(i["id"], f) for i in svc["items"] for f in i["findings"] if "invalid YAML" in f["message"]]
    assert [(i, f["path"], f["line"]) for i, f in hits] == [("artifacts.service-yaml", "services/foo/service.yaml", 4)]
    by = {i["id"]: i for i in svc["items"]}
    assert by["artifacts.service-yaml"]["status"] == "fail"
    dependent = [i for i in svc["items"] if i["reason"].startswith("not evaluable")]
    assert len(dependent) >= 5
    for it in dependent:
        assert it["status"] == "unverified" and it["findings"] == []
        assert it["reason"] == "not evaluable: services/foo/service.yaml:4 cannot be read, see artifacts.service-yaml"


def test_a_malformed_service_yaml_still_blocks(tmp_path: Path) -> None:
    write_tree(tmp_path, MALFORMED)
    assert main(["check", str(tmp_path), "--now", NOW, "--only", "artifacts.service-yaml,auth.baa-gate"]) == 1


def _example_text(capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    main(["check", str(EXAMPLE), "--now", NOW, *extra])
    return capsys.readouterr().out


def test_text_report_one_line_per_unverified_item_short_messages_no_nesting(capsys: pytest.CaptureFixture[str]) -> None:
    out = _example_text(capsys)
    lines = out.splitlines()
    assert not any("unverified (" in line for line in lines)
    conformance = [line for line in lines if "conventions.conformance" in line]
    assert len(conformance) == 4 and all(line.startswith("    ? conventions.conformance [unverified] ") for line in conformance)
    for line in lines:
        body = line.strip().split("  ", 1)[-1]  # after the file:line of a finding
        assert len(body) <= 145, line
        depth = 0
        for ch in line:
            depth += ch == "("
            assert depth < 2, f"nested parentheses: {line}"
            depth -= ch == ")" and depth > 0
    assert "note: messages ending in … are cut; --verbose prints them whole" in lines
    verbose = _example_text(capsys, "--verbose")
    assert "read from GitHub by `prodgate pr` and `prodgate promote`" in verbose
    assert "messages ending in …" not in verbose


def test_identical_findings_of_one_section_are_reported_once(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(LABS), "--now", NOW])
    lines = capsys.readouterr().out.splitlines()
    sdk = lines.index("  sdk")
    assert lines[sdk + 1] == "    ✗ sdk.generated [fail] pnpm sdk:gen produces clean output"
    assert lines[sdk + 2].startswith("        packages/sdk-labs/package.json  labs has no SDK package")
    assert lines[sdk + 3:sdk + 6] == [
        "    ✗ sdk.package [fail] see sdk.generated",
        "    ✗ sdk.reference-page [fail] see sdk.generated",
        "    ✗ sdk.consumer [fail] see sdk.generated",
    ]


def test_brief_cuts_at_a_clause_and_never_inside_a_code_span() -> None:
    msg = ("no attestation of oncall.notified in service.yaml readiness.attestations; add under readiness.attestations "
           "in service.yaml: `- {item: oncall.notified, by: <github login>, at: YYYY-MM-DD, evidence: <link>}`")
    short = brief(msg)
    assert short.endswith(" …") and len(short) <= 142 and short.count("`") % 2 == 0
    assert brief("no pull request to judge (no GitHub evidence in this run (check mode reads files only); x)") == \
        "no pull request to judge …"
    assert brief("short (and flat)") == "short (and flat)"


def _git_copy(tmp_path: Path) -> Path:
    repo = tmp_path / "platform"
    shutil.copytree(EXAMPLE, repo)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def test_promote_outside_actions_prints_no_workflow_command_and_one_token_note(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _git_copy(tmp_path)
    monkeypatch.chdir(repo)
    assert main(["promote", "--service", "payments", "--now", NOW]) == 1
    cap = capfd.readouterr()
    both = cap.out + cap.err
    assert not re.search(r"^::", both, re.M), both
    notes = [line for line in cap.out.splitlines() if "token" in line.lower() and line.startswith("note:")]
    assert notes == ['note: No GitHub token: the GitHub evidence is unverified. Locally, give a token that can read '
                     'the repository in GITHUB_TOKEN, e.g. GITHUB_TOKEN="$(gh auth token)" prodgate promote --service NAME']


def test_markdown_has_no_invisible_characters_and_real_code_spans(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(LABS), "--now", NOW, "--format", "markdown"])
    md = capsys.readouterr().out
    assert "\u200b" not in md and "\\`" not in md
    assert "commit it as `@platform/sdk-labs`" in md
    assert "set `status: stable` once the service is ready for prod" in md


def test_a_malformed_service_yaml_is_never_reported_only_by_a_promotion_time_item(tmp_path: Path) -> None:
    # oncall.notified is promotion-time (never blocks a PR): were it the reporter, the docs items after
    # it would be `unverified` and the PR would pass with an unreadable service.yaml
    write_tree(tmp_path, MALFORMED)
    out = tmp_path / "r.json"
    main(["check", str(tmp_path), "--now", NOW, "--only", "oncall.notified,docs.concepts", "--format", "json",
          "--output", str(out)])
    (svc,) = json.loads(out.read_text(encoding="utf-8"))["services"]
    by = {i["id"]: i for i in svc["items"]}
    assert by["oncall.notified"]["status"] == "fail"
    assert by["docs.concepts"]["status"] == "fail"
    assert [f["line"] for f in by["docs.concepts"]["findings"]] == [4]
