"""A pull request cannot make a stable service leave the verdict, nor hide which services it
touches: played through ``prodgate pr`` against the stand-in."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.github.conftest import SERVICE_YAML, Scenario, git, platform_repo, pr_event, run_gate

GONE = "stable service payments (services/payments/service.yaml on the base commit) is gone in this pull request"


def _files(paths: list[str]) -> list[dict[str, Any]]:
    return [{"sha": "0" * 40, "filename": p, "status": "removed", "additions": 0, "deletions": 1, "changes": 1}
            for p in paths]


def _base(ws: Path, config: str | None = None) -> str:
    extra = {".github/prod-readiness.yml": config} if config else None
    base, _ = platform_repo(ws, {"payments": "stable", "ledger": "beta"}, base_files=extra,
                            head_files={"docs/notes.md": "# notes\n"})
    return base


def _commit(ws: Path) -> str:
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "--allow-empty", "-m", "attack")
    return git(ws, "rev-parse", "HEAD")


def _payments(run: Any) -> dict[str, Any]:
    return next(s for s in run.report["services"] if s["name"] == "payments")


def _gone_finding(run: Any) -> dict[str, Any]:
    item = next(i for i in _payments(run)["items"] if i["id"] == "artifacts.service-yaml")
    assert item["status"] == "fail"
    (f,) = item["findings"]
    assert f["path"] == "services/payments/service.yaml" and f["line"] is None
    return f


def _attack(ws: Path, how: str) -> None:
    folder = ws / "services" / "payments"
    if how == "deleted":
        (folder / "service.yaml").unlink()
    elif how == "renamed":
        (folder / "service.yaml").rename(folder / "service.yml")
    elif how == "symlink":
        shutil.move(str(folder), str(ws / "elsewhere"))
        folder.symlink_to("../elsewhere")
    elif how == "folder-renamed":
        shutil.move(str(folder), str(ws / "services" / "payments-v2"))
        (ws / "services" / "payments-v2" / "service.yaml").write_text(
            SERVICE_YAML.format(name="payments-v2", status="beta").lstrip("\n"), encoding="utf-8")
    elif how == "submodule":
        git(ws, "rm", "-q", "-r", "services/payments")
        git(ws, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},services/payments")
        folder.mkdir(parents=True, exist_ok=True)  # what a checkout without submodules leaves


WHY = {
    "deleted": "services/payments/service.yaml was deleted",
    "renamed": "service.yaml was renamed (services/payments/service.yml is not read",
    "symlink": "services/payments is now a symlink",
    "folder-renamed": "its folder services/payments was removed or renamed",
    "submodule": "services/payments is empty (a git submodule that is not checked out?)",
    "nested-repo": "services/payments is now a git submodule or a nested repository",
}


@pytest.mark.parametrize("how", sorted(WHY))
def test_a_stable_service_that_vanishes_blocks(how, tmp_path, standin_factory, webhook_examples):
    ws = tmp_path / "workspace"
    base = _base(ws)
    _attack(ws, how)
    head = _commit(ws)
    if how == "nested-repo":
        # a checked-out submodule: its own .git, and a service.yaml from another repository
        (ws / "services" / "payments" / ".git").write_text("gitdir: ../../.git/modules/payments\n", encoding="utf-8")
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["services/payments/service.yaml"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code == 1, run.stderr
    f = _gone_finding(run)
    assert f["message"].startswith(GONE) and WHY[how] in f["message"]
    assert "services.allow_removal" in f["message"]
    (cr,) = standin.gate_runs()
    assert cr["conclusion"] == "failure"
    assert "0 services" not in cr["output"]["title"]
    assert "payments" in run.outputs["services"]
    assert not any("touches no service" in n for n in run.report["notes"])


def test_allow_removal_in_the_base_configuration_retires_it(tmp_path, standin_factory, webhook_examples):
    ws = tmp_path / "workspace"
    base = _base(ws, config="services:\n  allow_removal: [payments]\n")
    shutil.rmtree(ws / "services" / "payments")
    head = _commit(ws)
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["services/payments/service.yaml", "services/payments/README.md"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code == 0, run.stderr
    assert run.report["services"] == []
    assert any("Stable service payments is removed" in n and "allow_removal" in n for n in run.report["notes"])


def test_allow_removal_added_by_the_pr_itself_does_not_count(tmp_path, standin_factory, webhook_examples):
    ws = tmp_path / "workspace"
    base = _base(ws)
    shutil.rmtree(ws / "services" / "payments")
    (ws / ".github").mkdir()
    (ws / ".github" / "prod-readiness.yml").write_text("services: {allow_removal: true}\n", encoding="utf-8")
    head = _commit(ws)
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["services/payments/service.yaml", ".github/prod-readiness.yml"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code == 1, run.stderr
    assert WHY["folder-renamed"] in _gone_finding(run)["message"]


def test_a_beta_service_that_vanishes_is_a_note(tmp_path, standin_factory, webhook_examples):
    ws = tmp_path / "workspace"
    base = _base(ws)
    shutil.rmtree(ws / "services" / "ledger")
    head = _commit(ws)
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["services/ledger/service.yaml"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code == 0, run.stderr
    assert any(n.startswith("Service ledger (beta on the base commit) is gone") for n in run.report["notes"])


def _shallow(tmp_path: Path) -> tuple[Path, str, dict[str, str]]:
    """A checkout without the base commit: the base is only known to the stand-in's contents API."""
    ws = tmp_path / "workspace"
    platform_repo(ws, {"ledger": "stable"}, head_files={"docs/notes.md": "# notes\n"})
    head = git(ws, "rev-parse", "HEAD")
    base_tree = {"services/payments/service.yaml": SERVICE_YAML.format(name="payments", status="stable"),
                 "services/ledger/service.yaml": SERVICE_YAML.format(name="ledger", status="stable")}
    return ws, head, base_tree


def test_vanished_service_found_through_the_contents_api_on_a_shallow_checkout(tmp_path, standin_factory,
                                                                              webhook_examples):
    ws, head, tree = _shallow(tmp_path)
    s = Scenario(head_sha=head, base_sha="b" * 40)
    s.contents = {"b" * 40: tree}
    s.files = _files(["services/payments/service.yaml"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code == 1, run.stderr
    assert WHY["folder-renamed"] in _gone_finding(run)["message"]
    listed = [r for r in standin.requests if r.path.endswith("/contents/services")]
    assert [dict(r.query) for r in listed] == [{"ref": "b" * 40}]


@pytest.mark.parametrize("changed", [
    "services/ledger/service.yaml",  # a stable service judged at the head
    # only a docs note: no judged service blocks, yet the services the base had are unknown (one of
    # them may be gone), so the change-level item that says so still blocks (Report.scope_unknown)
    "docs/notes.md",
])
def test_base_listing_error_blocks(changed, tmp_path, standin_factory, webhook_examples):
    ws, head, tree = _shallow(tmp_path)
    s = Scenario(head_sha=head, base_sha="b" * 40)
    s.contents = {"b" * 40: tree}
    s.files = _files([changed])
    standin = standin_factory(s)
    standin.fail("GET", r"/contents/services$", 500, times=10)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code == 1, run.stderr
    ci = next(i for i in run.report["items"] if i["id"] == "promotion.ci-green")
    assert ci["status"] == "fail"
    assert ci["findings"][0]["message"].startswith("the services of the base commit bbbbbbbbbbbb could not be listed")


def test_over_3000_files_on_a_shallow_checkout_blocks(tmp_path, standin_factory, webhook_examples):
    ws, head, tree = _shallow(tmp_path)
    s = Scenario(head_sha=head, base_sha="b" * 40)
    tree.pop("services/payments/service.yaml")
    s.contents = {"b" * 40: tree}
    s.files = _files([f"docs/notes/n{i:04}.md" for i in range(3000)])
    s.changed_files = 3500
    s.reviews = [{"id": 80, "user": {"login": "octocat"}, "state": "APPROVED", "commit_id": head,
                  "submitted_at": "2026-11-29T10:00:00Z", "body": ""}]
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code == 1, run.stderr
    ci = next(i for i in run.report["items"] if i["id"] == "promotion.ci-green")
    assert ci["status"] == "fail"
    msg = ci["findings"][0]["message"]
    assert msg.startswith("the pull request changes 3500 files; GitHub lists at most 3000")
    assert "fetch-depth: 0" in msg
    # every service was judged: the unlisted files may touch any of them
    assert run.outputs["services"] == '["ledger"]'
    (cr,) = standin.gate_runs()
    assert cr["conclusion"] == "failure"


def test_a_service_yaml_that_becomes_unreadable_is_judged_failing(tmp_path, standin_factory, webhook_examples):
    ws = tmp_path / "workspace"
    base = _base(ws)
    manifest = ws / "services" / "payments" / "service.yaml"
    manifest.unlink()
    manifest.symlink_to("/etc/hostname")  # leaves the repository: never read
    head = _commit(ws)
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["services/payments/service.yaml"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code == 1, run.stderr
    item = next(i for i in _payments(run)["items"] if i["id"] == "artifacts.service-yaml")
    assert item["status"] == "fail"
    assert "symlink that leaves the repository" in item["findings"][0]["message"]
    assert "advisory" not in _payments(run)  # stable on the base: blocking
