"""The GitHub Action modes: ``prodgate pr``, ``prodgate promote`` and ``check`` inside the Action.

``pr`` judges a pull request: the services it touches (from its changed files), evaluated with
the configuration of the PR's **base** commit, plus the change-level items; it posts one check
run on the PR's head sha (updated on a re-run), writes the job summary, the step outputs and the
report files. ``promote`` judges one service strictly before (or, with ``--after-deploy``,
after) its promotion, with the change-level items of the pull request that brought the
promoted commit.

The GitHub evidence is gathered up front with a small, constant number of requests per run; the
checks are pure functions of it.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from gate import baseline, countersign, inputs
from gate import config as cfg
from gate.cli import UsageError, parse_now, providers, repo_root
from gate.context import RunInfo
from gate.engine import evaluate
from gate.github import client as gh
from gate.github import env as ghenv
from gate.github import publish as pub
from gate.github.evidence import Deployment, GitHubEvidence, PullRequestEvidence
from gate.github.reviews import WRITE_ASSOCIATIONS
from gate.model import Report, ServiceReport, Status
from gate.providers import start as start_live
from gate.render import renderer
from gate.render.text import render as text_render
from gate.run import load_config, make_workspace, parse_only, select, write_outputs
from gate.services import Service, discover
from gate.sources.yamlfile import YamlError, load
from gate.verdict import pr_blockers, pr_state, promote_blockers
from gate.workspace import SourceProblem, Workspace

MODES = ("pr", "promote", "check", "catalog")
#: where the report files go, relative to the workspace (the ``report`` output names the JSON)
REPORT_DIR = "prodgate-report"
PR_EVENTS = ("pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment")


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


# -- git --------------------------------------------------------------------------------------
def _git(root: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError):
        return None


def git_has_commit(root: Path, sha: str) -> bool:
    r = _git(root, "cat-file", "-e", f"{sha}^{{commit}}")
    return r is not None and r.returncode == 0


def git_diff_files(root: Path, base: str, head: str) -> tuple[tuple[str, ...], dict[str, str]] | None:
    """``git diff --name-status base...head``: paths (renames: both names) and statuses."""
    r = _git(root, "diff", "--no-ext-diff", "--no-textconv", "--name-status", "-z", "--no-renames", f"{base}...{head}")
    if r is None or r.returncode != 0:
        return None
    parts = r.stdout.decode("utf-8", "replace").split("\0")
    names = {"A": "added", "M": "modified", "D": "removed", "T": "changed"}
    paths: list[str] = []
    status: dict[str, str] = {}
    i = 0
    while i + 1 < len(parts):
        code, path = parts[i], parts[i + 1]
        i += 2
        if not code:
            break
        paths.append(path)
        status[path] = names.get(code[:1], "modified")
    return tuple(dict.fromkeys(paths)), status


class BaseFiles:
    """Files at the PR's base commit: ``git show`` when the commit is in the workspace (a
    ``fetch-depth: 0`` checkout), else the contents API (one request per file)."""

    def __init__(self, root: Path, sha: str | None, client: gh.Client | None, owner: str, repo: str) -> None:
        self.root, self.sha, self.client, self.owner, self.repo = root, sha, client, owner, repo
        self.local = bool(sha) and git_has_commit(root, sha or "")
        self._cache: dict[str, str | None] = {}

    def text(self, path: str) -> str | None:
        if not self.sha:
            return None
        if path not in self._cache:
            self._cache[path] = self._read(path)
        return self._cache[path]

    def _read(self, path: str) -> str | None:
        if self.local:
            r = _git(self.root, "show", f"{self.sha}:{path}")
            if r is None or r.returncode != 0:
                return None
            return r.stdout.decode("utf-8", "replace")
        if self.client is None:
            return None
        return gh.file_at(self.client, self.owner, self.repo, path, self.sha or "")


# -- touched services -------------------------------------------------------------------------
#: a package key of a changeset's front matter; horizontal white space only (``\s*`` spanned
#: newlines and made 500,000 blank lines quadratic)
_CHANGESET_KEY = re.compile(r"""^[ \t]*["']?(@[^"':\s]+)["']?[ \t]*:""", re.M)


def _manifest(ws: Workspace, svc: Service) -> dict[str, Any]:
    try:
        doc = ws.yaml(svc.manifest_path)
    except SourceProblem:
        return {}
    return doc.data if doc is not None and isinstance(doc.data, dict) else {}


def touched_services(files: Iterable[str], services: list[Service], ws: Workspace, config: cfg.Config) -> list[Service]:
    """The services a change touches: a file under the service folder, its docs page
    (``docs/services/<name>.md``), its SDK reference page and package (``packages/sdk-<name>/``),
    the event pages of the events it publishes, the concept pages of its primitives, and a
    changeset naming its package or SDK package."""
    by_name = {s.name: s for s in services}
    root = config.path("services")
    docs = config.path("docs")
    packages = config.path("packages")
    changesets = config.path("changesets")

    def j(*parts: str) -> str:
        return "/".join(p for p in parts if p)

    hit: set[str] = set()
    events: dict[str, set[str]] = {}
    primitives: dict[str, set[str]] = {}
    loaded = False

    def index() -> None:
        nonlocal loaded
        if loaded:
            return
        loaded = True
        for s in services:
            m = _manifest(ws, s)
            contracts = m.get("contracts") if isinstance(m.get("contracts"), dict) else {}
            ev = (contracts or {}).get("events")
            pubs = ev.get("publishes") if isinstance(ev, dict) else None
            for e in pubs if isinstance(pubs, list) else []:
                events.setdefault(str(e), set()).add(s.name)
            prims = m.get("domain_primitives")
            for p in prims if isinstance(prims, list) else []:
                primitives.setdefault(str(p), set()).add(s.name)

    for f in files:
        parts = f.split("/")
        if root and f.startswith(root + "/") and len(parts) > len(root.split("/")) + 0:
            name = f[len(root) + 1 :].split("/", 1)[0]
            if name in by_name and "/" in f[len(root) + 1 :]:
                hit.add(name)
            continue
        if not root and parts[0] in by_name and len(parts) > 1:
            hit.add(parts[0])
            continue
        for sub in ("services", "sdk"):
            prefix = j(docs, sub) + "/"
            if f.startswith(prefix) and f.endswith(".md") and "/" not in f[len(prefix) :]:
                name = f[len(prefix) : -3]
                if name in by_name:
                    hit.add(name)
        prefix = j(packages, "sdk-")
        if f.startswith(prefix):
            name = f[len(prefix) :].split("/", 1)[0]
            if name in by_name:
                hit.add(name)
        for sub, table in (("events", events), ("concepts", primitives)):
            prefix = j(docs, sub) + "/"
            if f.startswith(prefix) and f.endswith(".md"):
                index()
                hit.update(table.get(f[len(prefix) : -3], set()))
        if changesets and f.startswith(changesets + "/") and f.endswith(".md"):
            try:
                text = ws.text(f)
            except SourceProblem:
                text = None
            if text and text.startswith("---"):
                front = text.split("---", 2)[1] if text.count("---") >= 2 else ""
                for pkg in _CHANGESET_KEY.findall(front):
                    m = re.fullmatch(r"@platform/(?:sdk-)?([a-z][a-z0-9-]*)", pkg)
                    if m and m.group(1) in by_name:
                        hit.add(m.group(1))
    return [s for s in services if s.name in hit]


def _status_of(text: str | None) -> str:
    if not text:
        return ""
    try:
        data = load(text)
    except YamlError:
        return ""
    return str(data.get("status", "")) if isinstance(data, dict) else ""


def mark_advisory(report: Report, base: BaseFiles) -> Report:
    """A service stable neither on the base nor on the head is advisory ("service is beta").
    When the base commit's status cannot be read (an API error) the service may be stable in
    prod: it stays blocking, never advisory on a guess."""
    out: list[ServiceReport] = []
    for s in report.services:
        head = s.status
        try:
            base_status = _status_of(base.text(f"{s.path}/service.yaml"))
        except gh.GitHubError:
            out.append(s)  # unknown on the base: judged as blocking (fail closed)
            continue
        if head != "stable" and base_status != "stable":
            shown = head or base_status or "not stable"
            out.append(dataclasses.replace(s, advisory=f"service is {shown}: reported, does not block this PR"))
        else:
            out.append(s)
    return dataclasses.replace(report, services=tuple(out))


# -- evidence ---------------------------------------------------------------------------------
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
    if pr is not None and override.label in pr.labels:
        for who in override.approvers:
            if "/" in str(who) and str(who) not in teams:
                org, team = str(who).split("/", 1)
                try:
                    teams[str(who)] = gh.team_members(org_client or client, org, team)
                except gh.GitHubError as exc:
                    teams[str(who)] = None
                    errors[f"team:{who}"] = str(exc)
    if base is not None:
        for path in config.freeze.calendars:
            try:
                base_files[str(path)] = base.text(str(path))
            except gh.GitHubError as exc:
                errors[f"base:{path}"] = str(exc)
    return GitHubEvidence(pr, reviews, runs, statuses, deployments, teams, errors, sha=sha, base_files=base_files,
                          commit_check_runs=commit_runs, commit_statuses=commit_statuses, own_suites=own_suites,
                          writers=writers)


# -- outputs ----------------------------------------------------------------------------------
def _report_dir(root: Path) -> tuple[Path, str]:
    rel = os.environ.get("PRODGATE_REPORT_DIR") or REPORT_DIR
    return root / rel, rel


def _safe_write(path: Path, body: str) -> None:
    """Write a report file in the workspace, never through a symlink the judged repository
    committed (``prodgate-report -> /elsewhere``, anywhere along the path)."""
    from gate.safeio import safe_write

    safe_write(path, body, Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()))


def _failed_items(report: Report, strict: bool) -> list[str]:
    """Ids of the items that are fail, pending or manual (and unverified when strict)."""
    bad = {Status.FAIL, Status.PENDING, Status.MANUAL} | ({Status.UNVERIFIED} if strict else set())
    ids = [i.id for i in report.items if i.status in bad]
    ids += [i.id for s in report.services for i in s.items if i.status in bad]
    return list(dict.fromkeys(ids))


def _pointer(env: ghenv.ActionEnv, root: Path) -> str:
    _, rel = _report_dir(root)
    where = f" of the workflow run {env.run_url}" if env.run_url else ""
    return (f"**The report is cut here (GitHub's size limit).** The full report is `{rel}/report.md` and "
            f"`{rel}/report.json` in the workspace{where} (upload `{rel}/` as an artifact to keep it).")


def finish(report: Report, args: argparse.Namespace, env: ghenv.ActionEnv, root: Path,
           fallback_notes: list[pub.Annotation] | None = None, strict: bool = False) -> Report:
    """Write the report files, the job summary and the step outputs; print the text report."""
    out_dir, rel = _report_dir(root)
    pointer = _pointer(env, root)
    if fallback_notes is not None:
        hidden = pub.emit_workflow_annotations(fallback_notes)
        if hidden:
            report = dataclasses.replace(report, notes=(*report.notes, hidden))
    markdown = renderer("markdown")(report)
    try:
        _safe_write(out_dir / "report.json", renderer("json")(report))
        _safe_write(out_dir / "report.md", markdown)
    except OSError as exc:
        raise UsageError(f"cannot write {out_dir}: {exc.strerror}") from None
    sarif = env.input("sarif-file")
    if sarif:
        p = Path(sarif) if Path(sarif).is_absolute() else root / sarif
        try:
            _safe_write(p, renderer("sarif")(report))
        except OSError as exc:
            raise UsageError(f"cannot write {sarif}: {exc.strerror}") from None
    if args.format or args.output or args.out_dir:
        write_outputs(report, args, default="text", root=root)
    pub.write_job_summary(env.step_summary, markdown, pointer)
    import json

    pub.write_outputs(env.output, {
        "ready": "true" if report.ready else "false",
        "report": f"{rel}/report.json",
        "failed-items": ",".join(_failed_items(report, strict)),
        "services": json.dumps([s.name for s in report.services]),
    })
    if not (args.format and not args.output and not args.out_dir):
        sys.stdout.write(pub.stop_commands(text_render(report)))
        sys.stdout.flush()
    return report


def _client(token: str, env: ghenv.ActionEnv) -> gh.Client | None:
    return gh.Client(token, env.api_url) if token else None


def _root(args: argparse.Namespace, env: ghenv.ActionEnv) -> Path:
    if args.repo:
        return repo_root([], args.repo)
    if env.workspace is not None and env.workspace.is_dir():
        return env.workspace.resolve()
    return repo_root([], None)


# -- the policy of the base commit ------------------------------------------------------------
def _config_path(args: argparse.Namespace, env: ghenv.ActionEnv) -> str:
    return str(args.config or env.input("config") or cfg.DEFAULT_PATH).removeprefix("./")


def base_policy(base: BaseFiles, root: Path, config_path: str) -> cfg.Config:
    """The configuration (and the files it names) at the base commit: a change is judged by the
    policy from before it, in ``pr`` as in ``promote``. A file GitHub did not serve fails the
    run (exit 2), never a fallback to the changed policy."""
    try:
        text = base.text(config_path)
    except gh.GitHubError as exc:
        raise UsageError(f"cannot read {config_path} at the base commit: {exc}; re-run the gate") from None

    def read_base(rel: str) -> str | None:
        try:
            return base.text(rel)
        except gh.GitHubError as exc:
            raise cfg.ConfigError(f"cannot read {rel} at the base commit: {exc}") from None

    if text is None:
        return cfg.defaults()
    return load_config(Workspace(root), None, text=text, source=config_path, read=read_base)


# -- pr ---------------------------------------------------------------------------------------
def _pr_target(env: ghenv.ActionEnv, client: gh.Client, owner: str, repo: str) -> tuple[int, str, dict[str, Any]]:
    """The PR number, the head sha to judge, and the PR as the API returns it."""
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
    return number, head or api_head, data


def run_pr(args: argparse.Namespace, env: ghenv.ActionEnv) -> int:
    now = parse_now(args.now)
    only = parse_only(args.only)
    strict = bool(args.strict) or ghenv.truthy(env.input("strict"))
    if not env.token:
        raise UsageError("pr mode needs a GitHub token: the github-token input (default ${{ github.token }})")
    owner, repo = env.owner_repo
    client = gh.Client(env.token, env.api_url)
    org_client = _client(env.org_token, env) if env.org_token else None
    if env.event_name == "pull_request_target":
        raise UsageError(
            "pr mode refuses pull_request_target: that event checks out the base branch, so the workspace does not "
            "hold the pull request's files and a verdict would judge files the pull request did not bring. Run the "
            "gate on pull_request, and publish the verdict of a fork's pull request from a workflow_run job "
            "(examples/workflows/publish-from-fork.yml)")
    number, head_sha, data = _pr_target(env, client, owner, repo)
    root = _root(args, env)
    notes: list[str] = []

    # files: the API (≤ 3,000), else git base...head in the workspace
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
        diff = git_diff_files(root, base_sha, head_sha) if base_sha else None
        if diff is not None:
            files, status = diff
            source = "git"
        else:
            unlisted = True  # which services it touches is unknown: all are judged, and it blocks
    pr_ev = gh.pr_evidence(data, files, status, source)
    # in a merge queue the group's commit is judged for CI; reviews were given on the PR's head
    reviewed = pr_ev.head_sha if (ev is None and mg is not None) else head_sha
    pr_ev = dataclasses.replace(pr_ev, head_sha=head_sha, base_sha=base_sha or pr_ev.base_sha, reviewed_sha=reviewed)

    # the base commit's policy
    base = BaseFiles(root, base_sha, client, owner, repo)
    config_path = _config_path(args, env)
    config = base_policy(base, root, config_path)
    if config_path in files:
        notes.append(f"This pull request changes {config_path}: the change applies once merged; this run used "
                     "the configuration of the base commit (a pull request cannot loosen its own policy).")
    ws = make_workspace(root, config)
    all_services = discover(ws, config.path("services"))
    touched = all_services if unlisted else touched_services(files, all_services, ws, config)
    if not unlisted:  # touched means "its inputs changed" (gate.catalog.INPUTS)
        more = inputs.touched_by_inputs(files, status, all_services, ws, config, inputs.base_reader(base),
                                        inputs.removed_reader(root, base, head_sha))
        touched = [s for s in all_services if s in touched or s.name in more.names]
        notes.extend(more.notes)
    gone = baseline.compare(ws, base, config, all_services)
    if unlisted:
        gone.problems.append(baseline.unlisted_files_finding(declared, gh.MAX_API_FILES))
    notes.extend(gone.notes)

    evidence = gather(client, org_client, owner, repo, pr_ev, head_sha, touched, config, "pr", base=base,
                      run_id=env.run_id)
    countersign.prepare(evidence, base, touched, config, org_client or client)
    for what, why in evidence.errors.items():
        notes.append(f"GitHub evidence {what} is not available: {why}")
    run = RunInfo(ws, config, now, "pr", pr=pr_ev, base=base_sha, all_services=all_services, github=evidence,
                  providers=providers(args), strict=strict)
    start_live(run, touched)
    report = evaluate(run, touched, only, tuple(notes))
    report = mark_advisory(report, base)
    report = baseline.block(dataclasses.replace(report, services=(*report.services, *gone.reports)), gone.problems)
    if not touched and not gone.reports:
        report = dataclasses.replace(report, notes=(*report.notes, "This pull request touches no service: "
                                                    "nothing to judge."))

    state = pr_state(report, strict)
    blockers = pr_blockers(report, strict)
    waiting = [it.id for _, it in blockers if it.status == Status.PENDING]
    if blockers:
        named = [f"{svc}: {it.id}" if svc else it.id for svc, it in blockers]
        shown = ", ".join(named[:20]) + (f" and {len(named) - 20} more" if len(named) > 20 else "")
        verdict_note = f"This pull request is blocked ({state}) by {len(named)} item(s): {shown}."
    else:
        verdict_note = "Nothing blocks this pull request."
    report = dataclasses.replace(report, notes=(verdict_note, *report.notes))
    title = pub.title(report, state, waiting)
    notes_list = pub.collect_annotations(report, pub.non_blocking_pr(report))
    existing = pub.reusable_run(evidence.check_runs, config.check_name)
    markdown = renderer("markdown")(report)
    fallback: list[pub.Annotation] | None = None
    _, rel = _report_dir(root)
    try:
        res = pub.publish_check_run(client, owner, repo, head_sha, config.check_name, state, title, markdown,
                                    notes_list, existing, env.run_url, _pointer(env, root),
                                    pub.external_id(env.run_id, os.environ.get("GITHUB_RUN_ATTEMPT", "")))
        print(f"prodgate: check run {config.check_name!r} {'created' if res.created else 'updated'} on "
              f"{head_sha[:12]}: {title} ({res.annotations_sent} annotations sent"
              f"{f', {res.annotations_skipped} already there' if res.annotations_skipped else ''})")
    except pub.ChecksForbidden:
        fallback = notes_list
        report = dataclasses.replace(report, notes=(*report.notes, (
            "The token cannot create check runs (a pull request from a fork gets a read-only token): "
            "the verdict is in this job's summary and workflow annotations instead; "
            f"the report is in {rel}/ for a workflow_run job to publish.")))
    except gh.GitHubError as exc:
        fallback = notes_list
        report = dataclasses.replace(report, notes=(*report.notes, f"The check run could not be published ({exc}): "
                                                    "the verdict is in this job's summary and workflow annotations."))
    finish(report, args, env, root, fallback, strict)
    _write_pr_marker(root, number, head_sha)
    print(f"prodgate: {state}: {title}; {client.count} GitHub requests")
    return 1 if blockers else 0


def _write_pr_marker(root: Path, number: int, head_sha: str) -> None:
    """``prodgate-report/pull-request.json``: which PR and commit the report is about (a
    workflow_run job publishing for a fork PR takes the number from it and verifies it)."""
    import json

    out_dir, _ = _report_dir(root)
    try:
        _safe_write(out_dir / "pull-request.json", json.dumps({"pull_request": number, "head_sha": head_sha}) + "\n")
    except OSError as exc:
        raise UsageError(f"cannot write {out_dir}: {exc.strerror}") from None


# -- promote ----------------------------------------------------------------------------------
def _head_sha(root: Path, env: ghenv.ActionEnv) -> str:
    if env.sha:
        return env.sha
    r = _git(root, "rev-parse", "HEAD")
    return r.stdout.decode().strip() if r is not None and r.returncode == 0 else ""


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


def run_promote(args: argparse.Namespace, env: ghenv.ActionEnv) -> int:
    now = parse_now(args.now)
    only = parse_only(args.only)
    root = _root(args, env)
    probe = Workspace(root)
    sha = _head_sha(root, env)
    notes: list[str] = []
    client = _client(env.token, env)
    pr_ev: PullRequestEvidence | None = None
    owner = repo = ""
    config: cfg.Config | None = None
    base: BaseFiles | None = None
    if client is not None and sha:
        owner, repo = env.owner_repo
        data, why = promoted_pull(client, owner, repo, sha, env)
        if data is not None:
            number = int(data["number"])
            try:
                files, status = gh.pr_files(client, owner, repo, number)
            except gh.GitHubError as exc:
                raise UsageError(f"cannot read the files of pull request #{number}: {exc}; the change-level items "
                                 "cannot be judged without them: re-run the gate") from None
            pr_ev = dataclasses.replace(gh.pr_evidence(data, files, status), merged=True)
            notes.append(f"Change-level items judged on pull request #{number}, merged as commit {sha[:12]}.")
            if pr_ev.base_sha:
                # the policy that judges a change is the one from before it: the PR's base
                base = BaseFiles(root, pr_ev.base_sha, client, owner, repo)
                path = _config_path(args, env)
                config = base_policy(base, root, path)
                notes.append(f"Policy ({path} and the files it names) read at the base {pr_ev.base_sha[:12]} of pull "
                             f"request #{number}: a pull request cannot relax the policy that promotes it.")
        else:
            notes.append(why)
    elif client is None:
        notes.append("No GitHub token: the GitHub evidence is unverified. Locally, give a token that can read the "
                     "repository in GITHUB_TOKEN, e.g. GITHUB_TOKEN=\"$(gh auth token)\" prodgate promote --service NAME")
    if config is None:
        config = load_config(probe, args.config or env.input("config") or None)
    ws = make_workspace(root, config)
    all_services = discover(ws, config.path("services"))
    chosen = [s for s in all_services if s.name == args.service]
    if not chosen:
        names = ", ".join(s.name for s in all_services) or "none"
        raise UsageError(f"--service {args.service}: no such service (services: {names})")
    org_client = _client(env.org_token, env) if env.org_token else None
    evidence = gather(client, org_client, owner, repo, pr_ev, sha, chosen, config, "promote", stage=args.stage,
                      base=base, run_id=env.run_id)
    for what, why in evidence.errors.items():
        if client is not None:  # without a token, the note above says it once
            notes.append(f"GitHub evidence {what} is not available: {why}")
    run = RunInfo(ws, config, now, "promote", pr=pr_ev, base=args.base, all_services=all_services,
                  github=evidence, providers=providers(args), strict=True)
    live = start_live(run, chosen)
    report = evaluate(run, chosen, only, tuple(notes))
    report = dataclasses.replace(report, notes=(*report.notes, *live.notes()),  # providers that gave no answer
                                 after_deploy=bool(args.after_deploy))
    blockers = promote_blockers(report, args.after_deploy)
    todo = []
    for svc, it in blockers:
        where = f"{svc}: " if svc else ""
        why = it.findings[0].message if it.findings else (it.reason or it.status.value)
        todo.append(f"{where}{it.id} is {it.status.value}: {why}")
    if blockers:
        report = dataclasses.replace(report, notes=(*report.notes, (
            f"Not ready to promote {args.service} to {args.stage}: fix or waive each item below "
            "(`prodgate explain ID` says how), attest manual items in service.yaml, then run the promotion again.")))
    notes_list = pub.collect_annotations(report)
    finish(report, args, env, root, notes_list if env.in_actions else None, strict=True)
    if todo:
        # finding messages come from the repository: one line each, workflow commands disabled
        from gate.render.common import one_line

        lines = "\n".join(f"prodgate: blocks promotion: {one_line(t)}" for t in todo)
        sys.stderr.write(pub.stop_commands(lines))
        sys.stderr.flush()
    verdict = "ready" if not blockers else "NOT ready"
    print(f"prodgate: {args.service} is {verdict} for {args.stage}"
          f"{' (after deploy)' if args.after_deploy else ''}; {len(blockers)} blocking item(s)")
    return 1 if blockers else 0


# -- check ------------------------------------------------------------------------------------
def run_check_action(args: argparse.Namespace, env: ghenv.ActionEnv) -> int:
    from gate.model import blocks

    now = parse_now(args.now)
    only = parse_only(args.only)
    strict = bool(args.strict)
    root = _root(args, env)
    probe = Workspace(root)
    config = load_config(probe, args.config or env.input("config") or None)
    ws = make_workspace(root, config)
    all_services = discover(ws, config.path("services"))
    services = select(all_services, root, list(getattr(args, "paths", []) or []))
    run = RunInfo(ws, config, now, "check", base=args.base, all_services=all_services, strict=strict,
                  providers=providers(args))
    start_live(run, services)
    report = evaluate(run, services, only)
    finish(report, args, env, root, pub.collect_annotations(report) if env.in_actions else None, strict)
    return 1 if blocks(report, strict=strict) else 0


def run_action(args: argparse.Namespace) -> int:
    """``prodgate pr`` / ``promote`` (and ``check`` when the Action's mode input says so)."""
    try:
        env = ghenv.load()
    except ghenv.EnvError as exc:
        raise UsageError(str(exc)) from None
    try:
        if args.command == "pr":
            return run_pr(args, env)
        if args.command == "promote":
            return run_promote(args, env)
        if args.command == "check":
            return run_check_action(args, env)
    except ghenv.EnvError as exc:
        raise UsageError(str(exc)) from None
    raise UsageError(f"{args.command}: not an Action mode")
