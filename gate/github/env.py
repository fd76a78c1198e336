"""The GitHub Actions runner environment, as a Docker container action sees it.

Inputs arrive as ``INPUT_<NAME>``: the input name upper-cased, spaces turned into ``_`` and
hyphens **kept** (``INPUT_GITHUB-TOKEN``). Shells cannot read such names; ``os.environ`` can.
There is no ``GITHUB_TOKEN`` variable unless the workflow sets one: the token is the
``github-token`` input.

On ``pull_request`` the ``GITHUB_SHA`` is the merge commit; the head commit (where CI results
and the check run live) is ``pull_request.head.sha`` in the event payload.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_EVENT_BYTES = 25 * 1024 * 1024


class EnvError(Exception):
    """The runner environment is not usable (exit 2)."""


def input_name(name: str) -> str:
    """The environment variable of an action input: ``github-token`` → ``INPUT_GITHUB-TOKEN``."""
    return "INPUT_" + name.replace(" ", "_").upper()


def get_input(name: str, environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    return env.get(input_name(name), "").strip()


def truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class EventPR:
    """The pull request named by the event payload (a snapshot at event time)."""

    number: int
    head_sha: str
    base_sha: str | None
    base_ref: str | None
    author: str
    title: str
    labels: tuple[str, ...]
    #: the head repository is not the base repository (a fork: read-only token on pull_request)
    fork: bool


@dataclass(frozen=True)
class ActionEnv:
    """What the runner tells a step. Every field is optional outside Actions."""

    token: str = field(default="", repr=False)
    org_token: str = field(default="", repr=False)
    inputs: dict[str, str] = field(default_factory=dict)
    event_name: str = ""
    event: dict[str, Any] = field(default_factory=dict)
    workspace: Path | None = None
    api_url: str = "https://api.github.com"
    server_url: str = "https://github.com"
    repository: str = ""
    sha: str = ""
    run_id: str = ""
    step_summary: Path | None = None
    output: Path | None = None
    in_actions: bool = False

    @property
    def owner_repo(self) -> tuple[str, str]:
        if "/" not in self.repository:
            raise EnvError("GITHUB_REPOSITORY is not set (owner/name); run inside GitHub Actions or set it")
        owner, name = self.repository.split("/", 1)
        return owner, name

    @property
    def run_url(self) -> str:
        if not (self.repository and self.run_id):
            return ""
        return f"{self.server_url.rstrip('/')}/{self.repository}/actions/runs/{self.run_id}"

    def input(self, name: str) -> str:
        return self.inputs.get(name, "")

    def pull_request(self) -> EventPR | None:
        """The PR of a ``pull_request``/``pull_request_target``/``pull_request_review`` event."""
        pr = self.event.get("pull_request")
        if not isinstance(pr, dict):
            return None
        try:
            head = pr["head"]
            base = pr.get("base") or {}
            labels = tuple(str(lb.get("name", "")) for lb in pr.get("labels") or [] if isinstance(lb, dict))
            head_repo = (head.get("repo") or {}).get("full_name")
            base_repo = (base.get("repo") or {}).get("full_name")
            return EventPR(
                number=int(pr["number"]),
                head_sha=str(head["sha"]),
                base_sha=str(base["sha"]) if base.get("sha") else None,
                base_ref=str(base["ref"]) if base.get("ref") else None,
                author=str((pr.get("user") or {}).get("login", "")),
                title=str(pr.get("title") or ""),
                labels=labels,
                fork=bool(head_repo and base_repo and head_repo != base_repo),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise EnvError(f"the event payload's pull_request is malformed ({type(exc).__name__}: {exc})") from None

    def merge_group_head(self) -> tuple[str, str | None] | None:
        """``merge_group``: the head sha of the group and its base sha."""
        mg = self.event.get("merge_group")
        if not isinstance(mg, dict) or not mg.get("head_sha"):
            return None
        return str(mg["head_sha"]), (str(mg["base_sha"]) if mg.get("base_sha") else None)

    def workflow_run_head(self) -> tuple[str, int | None] | None:
        """``workflow_run``: the head sha of the run that completed and its PR number when GitHub
        lists one (it lists none for fork PRs)."""
        wr = self.event.get("workflow_run")
        if not isinstance(wr, dict) or not wr.get("head_sha"):
            return None
        prs = wr.get("pull_requests") or []
        number = None
        if prs and isinstance(prs[0], dict) and isinstance(prs[0].get("number"), int):
            number = int(prs[0]["number"])
        return str(wr["head_sha"]), number


INPUTS: tuple[str, ...] = (
    "github-token", "mode", "service", "stage", "config", "strict", "sarif-file", "org-token",
    "pull-request", "after-deploy",
)


def load(environ: Mapping[str, str] | None = None) -> ActionEnv:
    """Read the runner environment (``os.environ`` by default)."""
    env = os.environ if environ is None else environ
    inputs = {name: get_input(name, env) for name in INPUTS}
    event: dict[str, Any] = {}
    event_path = env.get("GITHUB_EVENT_PATH", "")
    if event_path:
        p = Path(event_path)
        try:
            if p.stat().st_size > MAX_EVENT_BYTES:
                raise EnvError(f"GITHUB_EVENT_PATH {event_path}: larger than {MAX_EVENT_BYTES} bytes")
            data = json.loads(p.read_text(encoding="utf-8"))
        except OSError as exc:
            raise EnvError(f"GITHUB_EVENT_PATH {event_path}: {exc.strerror}") from None
        except ValueError as exc:
            raise EnvError(f"GITHUB_EVENT_PATH {event_path}: not JSON ({exc})") from None
        if isinstance(data, dict):
            event = data

    def path(name: str) -> Path | None:
        v = env.get(name, "")
        return Path(v) if v else None

    token = inputs.pop("github-token", "") or env.get("GITHUB_TOKEN", "")
    org_token = inputs.pop("org-token", "")
    return ActionEnv(
        token=token,
        org_token=org_token,
        inputs=inputs,  # without the tokens: this record may be printed
        event_name=env.get("GITHUB_EVENT_NAME", ""),
        event=event,
        workspace=path("GITHUB_WORKSPACE"),
        api_url=(env.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/"),
        server_url=env.get("GITHUB_SERVER_URL") or "https://github.com",
        repository=env.get("GITHUB_REPOSITORY", ""),
        sha=env.get("GITHUB_SHA", ""),
        run_id=env.get("GITHUB_RUN_ID", ""),
        step_summary=path("GITHUB_STEP_SUMMARY"),
        output=path("GITHUB_OUTPUT"),
        in_actions=env.get("GITHUB_ACTIONS", "") == "true",
    )
