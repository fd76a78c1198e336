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
    assert re.search(r"^FROM python:3\.11\.\d+-slim", text, re.M)
    assert not re.search(r"^USER\b", text, re.M)  # Docker actions run as root
    entry = re.search(r'^ENTRYPOINT \["([^"]+)"\]', text, re.M)
    assert entry and entry.group(1).startswith("/")
    assert "git" in text
    script = (ROOT / "docker-entrypoint.sh").read_text()
    assert "git config --global --add safe.directory /github/workspace" in script
    assert "exec /usr/local/bin/prodgate" in script


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
                                 "statuses": "read", "deployments": "read"}
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
