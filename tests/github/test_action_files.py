"""action.yml, the Dockerfile and the workflows agree with the code and the runner's rules."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from gate.github.env import INPUTS
from tests.github.conftest import ORG_TOKEN, TOKEN, Scenario, platform_repo, pr_event, run_gate
from tests.github.test_action_pr import _files

ROOT = Path(__file__).resolve().parents[2]


def test_action_yml():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"] == {"using": "docker", "image": "Dockerfile"}
    assert set(action["inputs"]) == set(INPUTS)
    assert action["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert action["inputs"]["mode"]["default"] == "pr"
    assert set(action["outputs"]) == {"ready", "report", "failed-items", "services"}


def test_dockerfile():
    text = (ROOT / "Dockerfile").read_text()
    # the base image is a build argument whose default is the official Python image
    assert re.search(r"^ARG BASE_IMAGE=python:3\.11\.\d+-slim-bookworm$", text, re.M)
    assert re.search(r"^FROM \$\{BASE_IMAGE\}$", text, re.M)
    assert "pip install --require-hashes --no-deps -r /opt/prodgate/requirements.lock" in text
    assert not re.search(r"^USER\b", text, re.M)  # Docker actions run as root
    entry = re.search(r'^ENTRYPOINT \["([^"]+)"\]', text, re.M)
    assert entry and entry.group(1).startswith("/")
    assert "git" in text
    script = (ROOT / "docker-entrypoint.sh").read_text()
    # dash (Debian's /bin/sh) drops INPUT_GITHUB-TOKEN & co.; bash keeps them
    assert script.startswith("#!/bin/bash\n")
    assert "git config --global --add safe.directory /github/workspace" in script
    assert "exec /usr/local/bin/prodgate" in script


def test_requirements_lock_pins_every_dependency_with_a_hash():
    import tomllib

    lock = (ROOT / "requirements.lock").read_text()
    pins = dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+) \\\n    --hash=sha256:[0-9a-f]{64}$", lock, re.M))
    entries = [ln for ln in lock.splitlines() if ln and not ln.startswith(("#", " "))]
    assert len(pins) == len(entries) > 0  # every entry: an exact version and a hash
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for dep in [*project["dependencies"], *project["optional-dependencies"]["live"]]:
        name = re.split(r"[<>=\[ ]", dep, maxsplit=1)[0].lower().replace("_", "-")
        assert name in {k.replace("_", "-") for k in pins}, f"{name} is not pinned in requirements.lock"
    for tool in ("setuptools", "wheel"):  # the build backend: prodgate is installed without isolation
        assert tool in pins


def test_workflows_have_minimal_permissions():
    files = [*sorted((ROOT / "examples" / "workflows").glob("*.yml")), ROOT / ".github" / "workflows" / "ci.yml"]
    assert len(files) == 5
    for f in files:
        wf = yaml.safe_load(f.read_text())
        perms = wf.get("permissions")
        assert isinstance(perms, dict), f
        assert "write-all" not in str(perms)
        writes = {k for k, v in perms.items() if v == "write"}
        # refresh re-runs the workflow runs of expired verdicts: it alone may write actions
        allowed = {"checks", "actions"} if f.name == "prod-readiness-refresh.yml" else {"checks"}
        assert writes <= allowed, (f, writes)
    pr = yaml.safe_load((ROOT / "examples/workflows/prod-readiness-pr.yml").read_text())
    assert pr["permissions"] == {"checks": "write", "contents": "read", "pull-requests": "read",
                                 "statuses": "read", "deployments": "read", "actions": "read"}
    assert "pull_request_target" not in pr[True]
    # the optional SARIF upload: a job of its own, the only one with security-events: write
    jobs = pr["jobs"]
    assert {k for j in jobs.values() for k, v in (j.get("permissions") or {}).items() if v == "write"} == {"security-events"}
    scan = jobs["code-scanning"]
    assert scan["permissions"] == {"security-events": "write", "contents": "read", "actions": "read"}
    upload = next(s for s in scan["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    gate_step = next(s for s in jobs["gate"]["steps"] if s.get("id") == "gate")
    assert upload["with"]["sarif_file"] == gate_step["with"]["sarif-file"] == "prodgate.sarif"
    assert "prodgate.sarif" in next(s for s in jobs["gate"]["steps"] if "upload-artifact" in s.get("uses", ""))["with"]["path"]


def test_example_workflows_one_concurrency_group_per_head_and_fork_reviews_republished():
    pr = yaml.safe_load((ROOT / "examples/workflows/prod-readiness-pr.yml").read_text())
    fork = yaml.safe_load((ROOT / "examples/workflows/publish-from-fork.yml").read_text())
    group = pr["concurrency"]["group"]
    # every event on one PR head lands in one group: the head sha of each payload, never the
    # PR number (a new push must not wait behind the old head) nor the ref (differs per event)
    for key in ("github.event.pull_request.head.sha", "github.event.workflow_run.head_sha",
                "github.event.merge_group.head_sha"):
        assert key in group
    assert "number" not in group and "github.ref" not in group
    assert fork["concurrency"]["group"] == "prod-readiness-${{ github.event.workflow_run.head_sha }}"
    assert group.startswith("prod-readiness-${{ ")
    # a fork PR's verdict is republished after a review too (pull_request_review runs pass the filter)
    cond = fork["jobs"]["publish"]["if"]
    assert "'pull_request'" in cond and "'pull_request_review'" in cond
    assert set(pr[True]) >= {"pull_request", "pull_request_review", "workflow_run", "merge_group"}


def test_team_approvers_are_looked_up_with_the_org_token(tmp_path, standin_factory, webhook_examples):
    ws = tmp_path / "workspace"
    config = ("freeze:\n  override:\n    label: freeze-exception\n"
              "    approvers: [carol, acme/release-managers, acme/secret-team]\n")
    base, head = platform_repo(ws, {"payments": "stable"}, base_files={".github/prod-readiness.yml": config})
    s = Scenario(head_sha=head, base_sha=base, labels=["freeze-exception"],
                 teams={"acme/release-managers": ["dave"], "acme/secret-team": None})
    s.files = _files(["services/payments/src/index.ts"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s), inputs={"org-token": ORG_TOKEN})
    assert run.code in (0, 1), run.stderr
    teams = [r for r in standin.requests if r.path.startswith("/orgs/")]
    assert [r.path for r in teams] == ["/orgs/acme/teams/release-managers/members",
                                       "/orgs/acme/teams/secret-team/members"]
    assert all(ORG_TOKEN in r.auth for r in teams)
    assert all(TOKEN in r.auth for r in standin.requests if not r.path.startswith("/orgs/"))
    assert ORG_TOKEN not in run.stdout + run.stderr + run.summary
