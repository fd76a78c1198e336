"""Everything the checks read from GitHub about the change, gathered up front with a small, constant
number of requests per run (:class:`~gate.github.evidence.GitHubEvidence`): the checks are pure
functions of it. ``pr``, ``promote`` and ``catalog`` gather it; each part is fetched once, and a
part GitHub did not serve is an error the checks turn into ``unverified`` or ``pending``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gate import config as cfg
from gate.github import client as gh
from gate.github.evidence import Deployment, GitHubEvidence, PullRequestEvidence
from gate.github.reviews import WRITE_ASSOCIATIONS
from gate.services import Service
from gate.workspace import BaseFiles, RemoteError


def _stages(mode: str, stage: str) -> tuple[str, ...]:
    return ("dev", "staging") if mode == "pr" else tuple(dict.fromkeys(("dev", "staging", stage)))


def _environment(config: cfg.Config, service: str, stage: str) -> str:
    return config.deployments.environment_of(service, stage)


def gather(
    client: gh.Client | None,
    org_client: gh.Client | None,
    owner: str,
    repo: str,
    pr: PullRequestEvidence | None,
    sha: str,
    services: list[Service],
    config: cfg.Config,
    mode: str,
    stage: str = "prod",
    base: BaseFiles | None = None,
    run_id: str = "",
) -> GitHubEvidence:
    """Everything the checks read from GitHub, each part fetched once. ``run_id``: the workflow
    run executing the gate (``GITHUB_RUN_ID``), whose jobs are not CI evidence."""
    errors: dict[str, str] = {}
    reviews: tuple[Any, ...] = ()
    runs: tuple[Any, ...] = ()
    statuses: tuple[Any, ...] = ()
    deployments: dict[str, tuple[Deployment, ...]] = {}
    teams: dict[str, frozenset[str] | None] = {}
    base_files: dict[str, str | None] = {}
    if client is None:
        errors["github"] = "no GitHub token: GitHub evidence is not available"
        return GitHubEvidence(pr, errors=errors, sha=sha)

    def fetch(what: str, fn: Any, *a: Any) -> Any:
        try:
            return fn(*a)
        except gh.GitHubError as exc:
            errors[what] = str(exc)
            return None

    head = pr.head_sha if pr else sha
    writers: dict[str, bool] = {}
    if pr is not None and pr.number is not None:
        reviews = fetch("reviews", gh.reviews, client, owner, repo, pr.number) or ()
        # approvers whose review does not say they can write: ask the collaborator permission API
        ask = {r.user.lower(): r.user for r in reviews
               if r.state.upper() == "APPROVED" and not r.bot and r.user and r.user.lower() != pr.author.lower()
               and r.association.upper() not in WRITE_ASSOCIATIONS}
        for key, login in list(ask.items())[:20]:
            got = fetch(f"permission:{login}", gh.has_write, client, owner, repo, login)
            if got is not None:
                writers[key] = bool(got)
    own_suites: frozenset[int] = frozenset()
    if run_id.isdigit():
        own_suites = fetch("own_workflow", gh.workflow_suites, client, owner, repo, run_id) or frozenset()
        if "own_workflow" in errors:
            errors["own_workflow"] += (" (the gate reads its own workflow run to keep its own job out of CI "
                                       "evidence: give the workflow `permissions: actions: read`)")
    if head:
        runs = fetch("check_runs", gh.check_runs, client, owner, repo, head) or ()
        statuses = fetch("statuses", gh.statuses, client, owner, repo, head) or ()
    commit_runs: tuple[Any, ...] | None = None
    commit_statuses: tuple[Any, ...] | None = None
    if sha and head and sha != head:
        # promote: the merged commit, where post-merge workflows (the staging smoke test) report
        commit_runs = fetch("commit_check_runs", gh.check_runs, client, owner, repo, sha)
        commit_statuses = fetch("commit_statuses", gh.statuses, client, owner, repo, sha)
    for svc in services:
        for st in _stages(mode, stage):
            env_name = _environment(config, svc.name, st)
            if env_name not in deployments:
                got = fetch(f"deployments:{env_name}", gh.deployments, client, owner, repo, env_name, sha)
                if got is not None:
                    deployments[env_name] = got
    override = config.freeze.override
    if pr is not None and override.on(pr.labels):
        _read_teams(org_client or client, [str(who) for who in override.approvers], teams, errors)
    if base is not None:
        for path in config.freeze.calendars:
            try:
                base_files[str(path)] = base.text(str(path))
            except RemoteError as exc:
                errors[f"base:{path}"] = str(exc)
    return GitHubEvidence(pr, reviews, runs, statuses, deployments, teams, errors, sha=sha, base_files=base_files,
                          commit_check_runs=commit_runs, commit_statuses=commit_statuses, own_suites=own_suites,
                          writers=writers)


def _read_teams(client: gh.Client, slugs: Iterable[str], teams: dict[str, frozenset[str] | None],
               errors: dict[str, str]) -> None:
    """The members of each ``org/team`` slug not read yet (one request per team); None, and an
    error, for a team that could not be read."""
    for slug in slugs:
        if "/" not in slug or slug in teams:
            continue
        org, team = slug.split("/", 1)
        try:
            teams[slug] = gh.team_members(client, org, team)
        except gh.GitHubError as exc:
            teams[slug] = None
            errors[f"team:{slug}"] = str(exc)


def gather_countersign(evidence: GitHubEvidence, base: BaseFiles, services: list[Service], config: cfg.Config,
                       client: gh.Client | None) -> None:
    """``pr`` mode, for :mod:`gate.countersign`: the base commit's ``service.yaml`` of every judged
    service (read through ``base``, whose cache the rest of the run shares) and the members of
    the teams in ``waivers.approvers`` (one request per team)."""
    for svc in services:
        path = svc.manifest_path
        try:
            evidence.base_files[path] = base.text(path)
        except RemoteError as exc:
            evidence.errors[f"base:{path}"] = str(exc)
    if client is not None:
        _read_teams(client, config.waivers.approvers, evidence.team_members, evidence.errors)
