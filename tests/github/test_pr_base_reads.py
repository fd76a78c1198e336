"""A file the base commit has is never read as absent because git could not read it: a partial
clone (``--filter=blob:none``) whose promisor is out of reach, or a checkout missing an object.
Absent means the base's tree does not list it; a listed file git cannot read is read through the
contents API when there is a client, else it is unknown (:class:`BaseUnreadable`) and the items
that depend on it do not pass."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from gate.modes.pr import event
from gate.modes.pr.base import BaseCommit, BaseUnreadable
from gate.workspace import RemoteError
from tests.github.conftest import SERVICE_YAML, Scenario, git, platform_repo, pr_event, run_gate

PAYMENTS = "services/payments/service.yaml"


def _partial_clone(tmp_path: Path) -> tuple[Path, str, str]:
    """A platform repository whose head removes the stable service payments, cloned with
    ``--filter=blob:none`` (payments' service.yaml at the base is a blob the clone never fetched),
    then the source moved away: the promisor cannot serve it any more."""
    src = tmp_path / "src"
    base, _ = platform_repo(src, {"payments": "stable", "ledger": "stable"}, head_files={"docs/notes.md": "# n\n"})
    shutil.rmtree(src / "services" / "payments")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "remove payments")
    head = git(src, "rev-parse", "HEAD")
    git(src, "config", "uploadpack.allowFilter", "true")
    ws = tmp_path / "workspace"
    git(tmp_path, "clone", "-q", "--filter=blob:none", f"file://{src}", str(ws))
    shutil.rmtree(src)
    return ws, base, head


def _missing_object(tmp_path: Path) -> tuple[Path, str, str]:
    """A full clone from which the loose object of payments' base service.yaml was deleted."""
    ws = tmp_path / "workspace"
    base, _ = platform_repo(ws, {"payments": "stable", "ledger": "stable"}, head_files={"docs/notes.md": "# n\n"})
    blob = git(ws, "rev-parse", f"{base}:{PAYMENTS}")
    shutil.rmtree(ws / "services" / "payments")
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", "remove payments")
    (ws / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    return ws, base, git(ws, "rev-parse", "HEAD")


@pytest.mark.parametrize("make", [_partial_clone, _missing_object])
def test_a_listed_file_git_cannot_read_is_unknown_not_absent(make, tmp_path):
    ws, base, _ = make(tmp_path)
    b = BaseCommit(ws, base, None, "o", "r")
    assert b.local
    with pytest.raises(BaseUnreadable) as exc:
        b.text(PAYMENTS)
    msg = str(exc.value)
    assert isinstance(exc.value, RemoteError)
    assert msg.startswith(f"the base copy of {PAYMENTS} (commit {base[:12]}) could not be read: git cat-file failed")
    assert "fetch-depth: 0" in msg and "no `filter:`" in msg and "github-token" in msg
    # what the base does not have is absent; what the clone holds is read
    assert b.text("services/payments/openapi.yaml") is None
    assert b.text("services/ledger/service.yaml") == SERVICE_YAML.format(name="ledger", status="stable").lstrip("\n")


def test_the_partial_clone_hint_names_the_cause(tmp_path):
    ws, base, _ = _partial_clone(tmp_path)
    with pytest.raises(BaseUnreadable) as exc:
        BaseCommit(ws, base, None, "o", "r").text(PAYMENTS)
    assert "a partial clone (--filter=blob:none) or a shallow clone" in str(exc.value)


def _payments(run: Any) -> dict[str, Any]:
    return next(s for s in run.report["services"] if s["name"] == "payments")


def _scenario(head: str, base: str) -> Scenario:
    s = Scenario(head_sha=head, base_sha=base)
    s.files = [{"sha": "0" * 40, "filename": p, "status": "removed", "additions": 0, "deletions": 1, "changes": 1}
               for p in (PAYMENTS, "services/payments/README.md")]
    return s


@pytest.mark.parametrize("make", [_partial_clone, _missing_object])
def test_a_vanished_stable_service_blocks_when_its_base_copy_cannot_be_read(make, tmp_path, standin_factory,
                                                                          webhook_examples):
    # before: git show failed, the base's service.yaml read as absent, payments left the verdict
    ws, base, head = make(tmp_path)
    s = _scenario(head, base)
    standin = standin_factory(s)
    standin.fail("GET", r"/contents/services/payments/service\.yaml$", 500, times=20)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code == 1, run.stderr
    # the run item fails with what could not be read (baseline.block)
    ci = next(i for i in run.report["items"] if i["id"] == "promotion.ci-green")
    assert ci["status"] == "fail"
    f = ci["findings"][0]
    assert f["path"] == PAYMENTS and f["line"] is None
    assert f["message"].startswith(f"{PAYMENTS} of the base commit could not be read (the base copy of {PAYMENTS} "
                                   f"(commit {base[:12]}) could not be read: git cat-file failed")
    assert "nor through GitHub's API" in f["message"] and "fetch-depth: 0" in f["message"]
    (cr,) = standin.gate_runs()
    assert cr["conclusion"] == "failure"


def test_the_contents_api_reads_what_git_cannot(tmp_path, standin_factory, webhook_examples):
    ws, base, head = _partial_clone(tmp_path)
    s = _scenario(head, base)
    s.contents = {base: {PAYMENTS: SERVICE_YAML.format(name="payments", status="stable")}}
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code == 1, run.stderr
    item = next(i for i in _payments(run)["items"] if i["id"] == "artifacts.service-yaml")
    (f,) = item["findings"]
    assert f["message"].startswith("stable service payments (services/payments/service.yaml on the base commit) "
                                   "is gone in this pull request")
    asked = [r for r in standin.requests if r.path.endswith("/contents/services/payments/service.yaml")]
    assert [dict(r.query) for r in asked] == [{"ref": base}]


def test_git_changes_lists_the_head_against_the_merge_base(tmp_path):
    ws = tmp_path / "workspace"
    base, head = platform_repo(ws, {"payments": "stable"}, head_files={"docs/notes.md": "# n\n"})
    assert event.git_changes(ws, base, head) == (("docs/notes.md",), {"docs/notes.md": "added"})
    # the base moved on after the branch: its own changes are not the pull request's
    git(ws, "checkout", "-q", "-b", "later", base)
    (ws / "services" / "payments" / "README.md").write_text("# later\n", encoding="utf-8")
    git(ws, "commit", "-q", "-am", "later on main")
    later = git(ws, "rev-parse", "HEAD")
    assert event.git_changes(ws, later, head) == (("docs/notes.md",), {"docs/notes.md": "added"})
    assert event.git_changes(ws, "c" * 40, head) is None
