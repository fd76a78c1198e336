"""Symlinks out of the workspace, in every role a service file plays, and ``..`` paths in the
configuration and in Markdown links: never read, never echoed, each reported as a finding."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.github.conftest import openapi, standin_factory, webhook_examples  # noqa: F401  (fixtures)
from tests.hostile.conftest import (
    PASSWD_MARK,
    SECRET,
    assert_clean,
    assert_never_opened,
    run_cli,
    secret_event,
    secret_home,
)

#: every role a file plays in a service, as a repo-relative path of the example's payments service
ROLES = [
    "services/payments/service.yaml",
    "services/payments/RUNBOOK.md",
    "services/payments/README.md",
    "services/payments/openapi.yaml",
    "services/payments/src/index.ts",
    "services/payments/src/routes/refunds.ts",
    "services/payments/migrations/0001_create_payments.sql",
    "services/payments/infra.ts",
    "services/payments/package.json",
    "docs/services/payments.md",
    "docs/sdk/payments.md",
    ".changeset/brave-otters-refund.md",
]
#: roles that ``check`` mode does not read (no PR: no changeset)
UNREAD_IN_CHECK = {".changeset/brave-otters-refund.md"}


def _link(repo: Path, rel: str, target: Path) -> None:
    p = repo / rel
    if p.exists() or p.is_symlink():
        p.unlink()
    p.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, p)


def _targets(tmp: Path) -> dict[str, tuple[Path, str]]:
    home = secret_home(tmp)
    event = secret_event(tmp)
    return {
        "etc-passwd": (Path("/etc/passwd"), PASSWD_MARK),
        "home-key": (home / ".ssh" / "id_rsa", f"{SECRET}-home"),
        "event-path": (event, f"{SECRET}-event"),
    }


@pytest.mark.parametrize("n", range(len(ROLES)), ids=[r.split("/", 2)[-1] for r in ROLES])
def test_file_symlinks_out_of_the_workspace_are_never_read(repo: Path, tmp_path: Path, n: int) -> None:
    """One role per run, the three targets in turn: the refusal is a finding at the link's path."""
    rel = ROLES[n]
    name = ["etc-passwd", "home-key", "event-path"][n % 3]
    path, mark = _targets(tmp_path)[name]
    _link(repo, rel, path)
    run = run_cli(repo, "services/payments", env={"HOME": str(tmp_path / "home"),
                                                 "GITHUB_EVENT_PATH": str(tmp_path / "event.json")})
    assert_clean(run, [mark])
    assert_never_opened(run, path)
    assert run.opened, "the audit hook saw the gate's own reads"
    assert run.code == (0 if rel in UNREAD_IN_CHECK else 1)
    assert str(path) not in run.everything()  # the target's path is never echoed either
    refused = [f for f in run.findings() if f["message"] == f"{rel} is a symlink that leaves the repository; not read"]
    if rel not in UNREAD_IN_CHECK:
        assert refused, rel
        assert all(f["path"] == rel and f["level"] == "failure" for f in refused)


def test_every_role_at_once(repo: Path, tmp_path: Path) -> None:
    targets = _targets(tmp_path)
    for i, rel in enumerate(ROLES):
        _link(repo, rel, targets[["etc-passwd", "home-key", "event-path"][i % 3]][0])
    run = run_cli(repo, "services/payments", env={"HOME": str(tmp_path / "home")})
    assert_clean(run, [PASSWD_MARK, f"{SECRET}-home", f"{SECRET}-event"])
    assert_never_opened(run, Path("/etc/passwd"), tmp_path / "home", tmp_path / "event.json")
    it = run.item("payments", "artifacts.service-yaml")
    assert it["status"] == "fail"
    assert any(f["path"] == "services/payments/service.yaml" for f in it["findings"])


def test_symlinked_directories_are_not_entered(repo: Path, tmp_path: Path) -> None:
    home = secret_home(tmp_path)
    outside = tmp_path / "outside"
    (outside / "routes").mkdir(parents=True)
    (outside / "routes" / "steal.ts").write_text(f"// {SECRET}\nexport const x = '{SECRET}';\n", encoding="utf-8")
    (outside / "0009_x.sql").write_text(f"-- {SECRET}\nCREATE TABLE t (id int);\n", encoding="utf-8")
    import shutil

    shutil.rmtree(repo / "services/payments/migrations")
    os.symlink(outside, repo / "services/payments/migrations")
    os.symlink(home, repo / "services/payments/src/home")
    os.symlink(outside / "routes", repo / "services/payments/src/more-routes")
    shutil.rmtree(repo / "docs/concepts")
    os.symlink(home, repo / "docs/concepts")
    run = run_cli(repo, "services/payments", env={"HOME": str(home)})
    assert_clean(run, [f"{SECRET}-home"])
    assert_never_opened(run, home, outside)
    assert str(outside) not in run.everything()
    assert "services/payments/migrations is a symlink that leaves the repository; not read" in run.everything()


def test_symlinked_service_folder_and_services_root(tmp_path: Path) -> None:
    from tests.hostile.conftest import platform

    repo = platform(tmp_path, ("payments", "orders"))
    home = secret_home(tmp_path)
    (home / "service.yaml").write_text(f"name: {SECRET}\n", encoding="utf-8")
    os.symlink(home, repo / "services" / "evil")
    run = run_cli(repo, env={"HOME": str(home)})
    assert_clean(run, [f"{SECRET}-home"])
    names = {s["name"] for s in run.report["services"]}
    assert "evil" not in names and SECRET not in names


def test_symlink_loop_and_dangling(repo: Path) -> None:
    _link(repo, "services/payments/RUNBOOK.md", repo / "services/payments/RUNBOOK.md")
    _link(repo, "services/payments/openapi.yaml", repo / "nowhere" / "x.yaml")
    os.symlink("loop-b", repo / "services/payments/src/loop-a.ts")
    os.symlink("loop-a.ts", repo / "services/payments/src/loop-b")
    run = run_cli(repo, "services/payments")
    assert_clean(run)
    assert run.item("payments", "artifacts.runbook")["status"] == "fail"
    assert run.item("payments", "artifacts.openapi")["status"] == "fail"


CONFIGS = {
    "paths.services": "paths: {services: ../../etc}\n",
    "paths.docs": "paths: {docs: ../outside}\n",
    "paths.changesets": "paths: {changesets: ../../../../home}\n",
    "paths.packages": "paths: {packages: /etc}\n",
    "freeze.calendars": "freeze:\n  calendars: [../../etc/passwd]\n",
    "freeze.calendars-abs": "freeze:\n  calendars: [/etc/passwd]\n",
}


@pytest.mark.parametrize("key", sorted(CONFIGS))
def test_dotdot_in_configuration_is_a_clear_error_or_refused(repo: Path, key: str) -> None:
    cfg = repo / ".github" / "prod-readiness.yml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(CONFIGS[key], encoding="utf-8")
    run = run_cli(repo)
    assert_clean(run, [PASSWD_MARK], codes=(1, 2))
    assert_never_opened(run, Path("/etc/passwd"), Path("/home"))
    if run.code == 2:
        assert "prod-readiness.yml" in run.stderr
        assert run.stderr.count("\n") < 10


def test_config_symlinked_out_of_the_workspace(repo: Path) -> None:
    cfg = repo / ".github" / "prod-readiness.yml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    os.symlink("/etc/passwd", cfg)
    run = run_cli(repo)
    assert_clean(run, [PASSWD_MARK], codes=(2,))
    assert_never_opened(run, Path("/etc/passwd"))
    assert "symlink" in run.stderr


def test_dotdot_in_markdown_links(repo: Path) -> None:
    page = repo / "docs/services/payments.md"
    text = page.read_text(encoding="utf-8")
    text += (
        "\n\nSee [passwd](../../../../../../etc/passwd), [home](../../../../../../root/.ssh/id_rsa),"
        " [abs](/etc/passwd#root), [anchor](../../../../etc/passwd#root-x-0-0)"
        " and ![img](../../../../../etc/shadow).\n"
    )
    page.write_text(text, encoding="utf-8")
    rb = repo / "services/payments/RUNBOOK.md"
    rb.write_text(rb.read_text(encoding="utf-8") + "\n[x](../../../../../etc/passwd)\n", encoding="utf-8")
    run = run_cli(repo, "services/payments")
    assert_clean(run, [PASSWD_MARK])
    assert_never_opened(run, Path("/etc/passwd"), Path("/etc/shadow"), Path("/root/.ssh"))
    it = run.item("payments", "artifacts.docs-page")
    assert it["status"] == "fail"
    msgs = " ".join(f["message"] for f in it["findings"])
    assert "etc/passwd" in msgs  # the link is named (it is the PR's own text), the file is not read


def test_pr_mode_symlinks_never_reach_the_check_run_or_summary(tmp_path: Path, standin_factory, webhook_examples) -> None:  # noqa: F811
    """The same links committed in a pull request, judged by ``prodgate pr`` (the Action's
    entrypoint) against the GitHub stand-in: nothing of the targets in the log, the job summary,
    the step outputs, the report files or any request sent to GitHub."""
    import json

    from tests.github.conftest import Scenario, git, platform_repo, pr_event, run_gate

    ws = tmp_path / "workspace"
    base, _ = platform_repo(ws, {"payments": "stable"})
    home = secret_home(tmp_path)
    event_secret = f"{SECRET}-event-field"
    links = {
        "services/payments/service.yaml": Path("/etc/passwd"),
        "services/payments/RUNBOOK.md": home / ".ssh" / "id_rsa",
        "services/payments/openapi.yaml": tmp_path / "event.json",  # run_gate writes the event there
        "services/payments/src/app.ts": Path("/etc/passwd"),
        "docs/services/payments.md": home / ".gitconfig",
    }
    for rel, target in links.items():
        _link(ws, rel, target)
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", "links")
    head = git(ws, "rev-parse", "HEAD")
    s = Scenario(head_sha=head, base_sha=base)
    s.files = [{"sha": "0" * 40, "filename": p, "status": "added", "additions": 1, "deletions": 0, "changes": 1}
               for p in links]
    standin = standin_factory(s)
    ev = pr_event(webhook_examples, s)
    ev["unused_field"] = event_secret
    run = run_gate(ws, standin, ev, extra_env={"HOME": str(home)})
    assert run.code == 1, run.stderr
    sent = "\n".join(json.dumps(r.body) for r in standin.requests if r.body is not None)
    reports = "\n".join(p.read_text(encoding="utf-8") for p in (ws / "prodgate-report").glob("*"))
    everything = "\n".join([run.stdout, run.stderr, run.summary, json.dumps(run.outputs), sent, reports])
    for mark in (PASSWD_MARK, f"{SECRET}-home", event_secret):
        assert mark not in everything, mark
    (cr,) = standin.gate_runs()
    msgs = [f["message"] for sv in run.report["services"] for i in sv["items"] for f in i["findings"]]
    assert "services/payments/service.yaml is a symlink that leaves the repository; not read" in msgs
    assert cr["conclusion"] == "failure"
