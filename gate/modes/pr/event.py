"""What the Action judges: the sub-command and flags from its inputs, the pull request and the
commit from the runner's event (or, for ``promote``, the pull request whose merge brought the
commit), and the files the pull request changes."""

from __future__ import annotations

import argparse
import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate import UsageError, gitrepo
from gate import config as cfg
from gate.github import client as gh
from gate.github import env as ghenv
from gate.github.evidence import PullRequestEvidence
from gate.options import repo_root

MODES = ("pr", "promote", "check", "catalog")


# -- inputs -----------------------------------------------------------------------------------
def argv_from_inputs(environ: Mapping[str, str] | None = None) -> list[str]:
    """The command line the Docker entrypoint runs, built from the action's inputs."""
    def get(name: str) -> str:
        return ghenv.get_input(name, environ)

    mode = get("mode") or "pr"
    if mode not in MODES:
        raise UsageError(f"input mode={mode!r}: choose from {', '.join(MODES)}")
    argv = [mode]
    if mode == "promote":
        if not get("service"):
            raise UsageError("input service is required with mode=promote")
        argv += ["--service", get("service")]
        if get("stage"):
            argv += ["--stage", get("stage")]
        if ghenv.truthy(get("after-deploy")):
            argv.append("--after-deploy")
    if get("config"):
        argv += ["--config", get("config")]
    if ghenv.truthy(get("strict")):
        argv.append("--strict")
    return argv


def client_for(token: str, env: ghenv.ActionEnv) -> gh.Client | None:
    return gh.Client(token, env.api_url) if token else None


def root_of(args: argparse.Namespace, env: ghenv.ActionEnv) -> Path:
    """The repository: ``--repo``, else the runner's workspace, else found from the current directory."""
    if args.repo:
        return repo_root([], args.repo)
    if env.workspace is not None and env.workspace.is_dir():
        return env.workspace.resolve()
    return repo_root([], None)


def config_path(args: argparse.Namespace, env: ghenv.ActionEnv) -> str:
    return str(args.config or env.input("config") or cfg.DEFAULT_PATH).removeprefix("./")


# -- pr ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """The pull request to judge: its number, the head sha judged, and the PR as the API returns it."""

    number: int
    head_sha: str
    data: dict[str, Any]


def pr_target(env: ghenv.ActionEnv, client: gh.Client, owner: str, repo: str) -> Target:
    """The pull request of the event (or of the ``pull-request`` input) and the commit to judge."""
    if env.event_name == "pull_request_target":
        raise UsageError(
            "pr mode refuses pull_request_target: that event checks out the base branch, so the workspace does not "
            "hold the pull request's files and a verdict would judge files the pull request did not bring. Run the "
            "gate on pull_request, and publish the verdict of a fork's pull request from a workflow_run job "
            "(examples/workflows/publish-from-fork.yml)")
    number: int | None = None
    head: str | None = None
    raw = env.input("pull-request")
    if raw:
        if not raw.isdigit():
            raise UsageError(f"input pull-request={raw!r} is not a pull request number")
        number = int(raw)
    ev = env.pull_request()
    if ev is not None:
        number = number or ev.number
        head = ev.head_sha
    elif env.merge_group_head() is not None:
        mg = env.merge_group_head()
        assert mg is not None
        head = mg[0]
        ref = str((env.event.get("merge_group") or {}).get("head_ref", ""))
        m = re.search(r"/pr-(\d+)-", ref)
        if m and number is None:
            number = int(m.group(1))
    elif env.workflow_run_head() is not None:
        wr = env.workflow_run_head()
        assert wr is not None
        head = wr[0]
        number = number or wr[1]
    if number is None:
        raise UsageError(
            f"pr mode needs a pull request: run it on pull_request or merge_group events (this is "
            f"{env.event_name or 'no event'}), or give the pull-request input")
    try:
        data = client.get(f"/repos/{owner}/{repo}/pulls/{number}")
    except gh.GitHubError as exc:
        raise UsageError(f"cannot read pull request #{number}: {exc}") from None
    api_head = str((data.get("head") or {}).get("sha", ""))
    if env.workflow_run_head() is not None and ev is None and head and api_head and head != api_head:
        raise UsageError(f"pull request #{number} is now at {api_head[:12]}, not {head[:12]} (the workflow run's "
                         "commit): the run for the newer commit publishes its verdict")
    return Target(number, head or api_head, data)


@dataclass(frozen=True)
class Change:
    """The judged pull request and what it changes."""

    pr: PullRequestEvidence
    base_sha: str | None
    #: the changed files (renames: both names) and GitHub's status of each
    files: tuple[str, ...]
    status: dict[str, str]
    #: how many files the pull request says it changes
    declared: int
    #: not every changed file could be listed (the API caps, git cannot diff): which services it
    #: touches is unknown, so all are judged and it blocks
    unlisted: bool


def change(target: Target, env: ghenv.ActionEnv, client: gh.Client, owner: str, repo: str, root: Path) -> Change:
    """The files the pull request changes: the API (≤ 3,000), else git base...head in the workspace."""
    data, number, head_sha = target.data, target.number, target.head_sha
    declared = int(data["changed_files"]) if isinstance(data.get("changed_files"), int) else 0
    base_sha = str((data.get("base") or {}).get("sha", "")) or None
    ev = env.pull_request()
    if ev is not None and ev.base_sha:
        base_sha = ev.base_sha
    mg = env.merge_group_head()
    if ev is None and mg is not None and mg[1]:
        base_sha = mg[1]  # the queue's base: what the group merges onto
    files: tuple[str, ...] = ()
    status: dict[str, str] = {}
    source = "api"
    unlisted = False
    if declared <= gh.MAX_API_FILES:
        try:
            files, status = gh.pr_files(client, owner, repo, number)
        except gh.GitHubError as exc:
            raise UsageError(f"cannot list the files of pull request #{number}: {exc}") from None
    if declared > gh.MAX_API_FILES or len(files) < min(declared, gh.MAX_API_FILES):
        diff = git_changes(root, base_sha, head_sha) if base_sha else None
        if diff is not None:
            files, status = diff
            source = "git"
        else:
            unlisted = True  # which services it touches is unknown: all are judged, and it blocks
    pr_ev = gh.pr_evidence(data, files, status, source)
    # in a merge queue the group's commit is judged for CI; reviews were given on the PR's head
    reviewed = pr_ev.head_sha if (ev is None and mg is not None) else head_sha
    pr_ev = dataclasses.replace(pr_ev, head_sha=head_sha, base_sha=base_sha or pr_ev.base_sha, reviewed_sha=reviewed)
    return Change(pr_ev, base_sha, files, status, declared, unlisted)


def git_changes(root: Path, base: str, head: str) -> tuple[tuple[str, ...], dict[str, str]] | None:
    """What ``git diff --name-status base...head`` lists (the head against the merge base, tree to
    tree, renames as a removal and an addition): paths and their statuses; None when git cannot
    tell (a commit not in the checkout, no merge base)."""
    try:
        since = gitrepo.merge_base(root, base, head)
        pairs = gitrepo.diff_name_status(root, since, ".", head)
    except gitrepo.GitError:
        return None
    names = {"A": "added", "M": "modified", "D": "removed", "T": "changed"}
    status = {path: names.get(code, "modified") for code, path in pairs}
    return tuple(status), status


# -- promote ----------------------------------------------------------------------------------
def head_sha(root: Path, env: ghenv.ActionEnv) -> str:
    """The commit judged: the runner's, else the one checked out (empty when git cannot tell)."""
    if env.sha:
        return env.sha
    try:
        return gitrepo.resolve(root, "HEAD")
    except gitrepo.GitError:
        return ""


def _default_branch(client: gh.Client, owner: str, repo: str, env: ghenv.ActionEnv,
                    pulls: list[dict[str, Any]]) -> str:
    for p in pulls:
        name = ((p.get("base") or {}).get("repo") or {}).get("default_branch")
        if isinstance(name, str) and name:
            return name
    name = (env.event.get("repository") or {}).get("default_branch") if isinstance(env.event, dict) else None
    if isinstance(name, str) and name:
        return name
    try:
        data = client.get(f"/repos/{owner}/{repo}")
    except gh.GitHubError as exc:
        raise UsageError(f"cannot read the repository's default branch: {exc}; re-run the gate") from None
    return str((data or {}).get("default_branch") or "")


def promoted_pull(client: gh.Client, owner: str, repo: str, sha: str,
                  env: ghenv.ActionEnv) -> tuple[dict[str, Any] | None, str]:
    """The pull request whose merge into the default branch brought ``sha`` (its merge commit),
    or None and why none counts. An open pull request, or one merged into another branch, does
    not count. An API error is a usage error (exit 2): never "no pull request"."""
    try:
        pulls = gh.commit_pulls(client, owner, repo, sha)
    except gh.GitHubError as exc:
        raise UsageError(f"cannot find the pull request that brought commit {sha[:12]}: {exc}; the change-level "
                         "items cannot be judged without it: re-run the gate") from None
    default = _default_branch(client, owner, repo, env, pulls)
    why: list[str] = []
    for p in pulls:
        number = p.get("number")
        into = str((p.get("base") or {}).get("ref") or "")
        if not p.get("merged_at"):
            why.append(f"#{number} is {p.get('state') or 'open'}, not merged")
        elif into != default:
            why.append(f"#{number} was merged into {into or 'another branch'}, not the default branch {default}")
        elif p.get("merge_commit_sha") != sha:
            why.append(f"#{number} was merged as {str(p.get('merge_commit_sha') or '')[:12]}, not as this commit")
        else:
            return p, ""
    listed = f" ({'; '.join(why)})" if why else ""
    return None, (f"No pull request merged into the default branch {default} brought commit {sha[:12]}{listed}: "
                  "the change-level items cannot be judged and block the promotion; promote the merge commit of "
                  "a pull request merged into the default branch.")


def promoted_change(client: gh.Client, owner: str, repo: str, sha: str,
                    env: ghenv.ActionEnv) -> tuple[PullRequestEvidence, int] | str:
    """The pull request that brought ``sha``, with its files (merged), and its number; or why no
    pull request counts."""
    data, why = promoted_pull(client, owner, repo, sha, env)
    if data is None:
        return why
    number = int(data["number"])
    try:
        files, status = gh.pr_files(client, owner, repo, number)
    except gh.GitHubError as exc:
        raise UsageError(f"cannot read the files of pull request #{number}: {exc}; the change-level items "
                         "cannot be judged without them: re-run the gate") from None
    return dataclasses.replace(gh.pr_evidence(data, files, status), merged=True), number
