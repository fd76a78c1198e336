"""The Action as shipped: the Docker image built from the Dockerfile and run the way the Actions
runner runs a Docker container action (actions/runner ContainerActionHandler):
``--workdir /github/workspace``, the workspace, ``/github/home``, ``/github/workflow`` and
``/github/file_commands`` mounted and owned by the runner's user (uid 1001), every input as
``INPUT_<NAME>`` with its hyphens kept, ``GITHUB_OUTPUT``/``GITHUB_STEP_SUMMARY`` under
``/github/file_commands``. Once in ``check`` mode, once in ``pr`` mode against the GitHub
stand-in (every request validated against GitHub's OpenAPI description).

The engine: ``scripts/container-engine.sh`` starts a dockerd of its own (``--bridge=none
--iptables=false``; builds and runs use ``--network=host``, the classic builder) and a base
image made with debootstrap, cached in the engine's data root; the module stops that dockerd at
the end. Needs root, Debian's docker.io and debootstrap (scripts/test.sh installs them): skipped
without them, a failure under ``CI``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.github.conftest import (  # noqa: F401  (fixtures)
    TOKEN,
    Scenario,
    openapi,
    parse_outputs,
    platform_repo,
    pr_event,
    standin_factory,
    webhook_examples,
)
from tests.github.test_action_pr import _files, _green

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "scripts" / "container-engine.sh"
IMAGE = "prodgate-action:test"
BASE = os.environ.get("PRODGATE_BASE_IMAGE", "prodgate-base:bookworm")
RUNNER_UID = 1001


def _docker(host: str, *args: str, timeout: int = 900, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCKER_HOST": host, "DOCKER_BUILDKIT": "0"}
    r = subprocess.run(["docker", *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if check and r.returncode != 0:
        pytest.fail(f"docker {' '.join(args[:2])} failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return r


@pytest.fixture(scope="module")
def engine() -> Iterator[str]:
    missing = [t for t in ("docker", "dockerd", "debootstrap") if shutil.which(t) is None]
    if os.geteuid() != 0 or missing:
        msg = (f"the container test needs root and {', '.join(missing) or 'nothing more'}: "
               "scripts/test.sh installs docker.io and debootstrap")
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    try:
        r = subprocess.run(["bash", str(ENGINE), "start"], capture_output=True, text=True, timeout=1800, check=False)
        if r.returncode != 0:
            pytest.fail(f"{ENGINE.name} start failed:\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}")
        yield r.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(ENGINE), "stop"], capture_output=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def image(engine: str) -> str:
    _docker(engine, "build", "--network=host", "--build-arg", f"BASE_IMAGE={BASE}", "-t", IMAGE, str(ROOT),
            timeout=1800)
    return engine


def _run(host: str, tmp: Path, workspace: Path, inputs: dict[str, str], env: dict[str, str],
         event: dict[str, Any], event_name: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str]:
    """``docker run`` as the runner does it; returns the run, the step outputs and the summary."""
    home, workflow, commands = tmp / "_github_home", tmp / "_github_workflow", tmp / "_runner_file_commands"
    for d in (home, workflow, commands):
        d.mkdir(exist_ok=True)
    (workflow / "event.json").write_text(json.dumps(event), encoding="utf-8")
    (commands / "set_output_1").write_text("", encoding="utf-8")
    (commands / "step_summary_1").write_text("", encoding="utf-8")
    for d in (workspace, home, workflow, commands):  # the runner's user owns what it mounts
        subprocess.run(["chown", "-R", f"{RUNNER_UID}:{RUNNER_UID}", str(d)], check=True)
    args = ["run", "--rm", "--network=host", "--workdir", "/github/workspace",
            "-v", f"{workspace}:/github/workspace", "-v", f"{home}:/github/home",
            "-v", f"{workflow}:/github/workflow", "-v", f"{commands}:/github/file_commands"]
    full_env = {
        "HOME": "/github/home", "GITHUB_ACTIONS": "true", "CI": "true",
        "GITHUB_WORKSPACE": "/github/workspace", "GITHUB_EVENT_PATH": "/github/workflow/event.json",
        "GITHUB_EVENT_NAME": event_name, "GITHUB_OUTPUT": "/github/file_commands/set_output_1",
        "GITHUB_STEP_SUMMARY": "/github/file_commands/step_summary_1", "GITHUB_RUN_ID": "987654321",
        "GITHUB_SERVER_URL": "https://github.com", **env,
    }
    # every input declared in action.yml is set (its default when the workflow omits it), the
    # name upper-cased with its hyphens kept: INPUT_GITHUB-TOKEN, INPUT_SARIF-FILE, ...
    defaults = {"github-token": "", "mode": "pr", "service": "", "stage": "prod", "after-deploy": "false",
                "config": "", "strict": "false", "sarif-file": "", "org-token": "", "pull-request": ""}
    for name, value in {**defaults, **inputs}.items():
        full_env["INPUT_" + name.replace(" ", "_").upper()] = value
    for k, v in full_env.items():
        args += ["-e", f"{k}={v}"]
    r = _docker(host, *args, IMAGE, timeout=600, check=False)
    outputs = parse_outputs((commands / "set_output_1").read_text(encoding="utf-8"))
    return r, outputs, (commands / "step_summary_1").read_text(encoding="utf-8")


def test_check_mode_in_the_container(image: str, tmp_path: Path) -> None:
    ws = tmp_path / "workspace"
    platform_repo(ws, {"payments": "stable"})
    r, outputs, summary = _run(image, tmp_path, ws, {"mode": "check", "sarif-file": "out/prodgate.sarif"},
                               {"GITHUB_REPOSITORY": "Codertocat/Hello-World"}, {}, "push")
    assert r.returncode in (0, 1), r.stderr[-3000:]
    assert outputs["report"] == "prodgate-report/report.json", r.stderr[-2000:]
    assert outputs["ready"] == "false" and outputs["services"] == '["payments"]'
    assert "artifacts.readme" in outputs["failed-items"]
    assert summary.startswith("## prodgate")
    sarif = json.loads((ws / "out" / "prodgate.sarif").read_text(encoding="utf-8"))  # INPUT_SARIF-FILE kept
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    report = json.loads((ws / "prodgate-report" / "report.json").read_text(encoding="utf-8"))
    assert report["mode"] == "check"


def test_pr_mode_in_the_container_against_the_stand_in(image: str, tmp_path: Path, standin_factory,  # noqa: F811
                                                       webhook_examples) -> None:  # noqa: F811
    ws = tmp_path / "workspace"
    base, head = platform_repo(ws, {"payments": "stable", "billing": "stable"})
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["services/payments/src/index.ts"])
    _green(s)
    standin = standin_factory(s)
    env = {"GITHUB_API_URL": standin.url, "GITHUB_REPOSITORY": f"{s.owner}/{s.repo}", "GITHUB_SHA": "0" * 40,
           "PRODGATE_RETRY_BASE": "0.05", "PRODGATE_WRITE_INTERVAL": "0"}
    inputs = {"github-token": TOKEN, "sarif-file": "prodgate.sarif", "pull-request": str(s.number)}
    r, outputs, summary = _run(image, tmp_path, ws, inputs, env, pr_event(webhook_examples, s), "pull_request")
    # a lost INPUT_GITHUB-TOKEN exits 2 ("needs a GitHub token"), a lost INPUT_SARIF-FILE writes no SARIF
    assert r.returncode in (0, 1), r.stdout[-2000:] + r.stderr[-3000:]
    (cr,) = standin.gate_runs()
    assert cr["head_sha"] == head and cr["status"] in ("completed", "in_progress")
    assert cr["output"]["title"].startswith(("✓ ready", "✗ not ready", "… waiting"))  # gate.verdict headlines
    assert all(TOKEN in q.auth for q in standin.requests)
    assert outputs["services"] == '["payments"]' and outputs["report"] == "prodgate-report/report.json"
    assert outputs["ready"] in ("true", "false")
    assert summary.startswith("## prodgate")
    assert (ws / "prodgate.sarif").is_file()
    assert TOKEN not in r.stdout + r.stderr + summary
    # no request GitHub's OpenAPI description refuses: standin_factory asserts it at teardown
