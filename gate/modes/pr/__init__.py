"""The GitHub Action modes: ``prodgate pr``, ``prodgate promote`` and ``check`` inside the Action.

``pr`` judges a pull request: the services it touches (from its changed files), evaluated with
the configuration of the PR's **base** commit, plus the change-level items; it posts one check
run on the PR's head sha (updated on a re-run), writes the job summary, the step outputs and the
report files. ``promote`` judges one service strictly before (or, with ``--after-deploy``,
after) its promotion, with the change-level items of the pull request that brought the
promoted commit.

Each runs the same way down: the event (:mod:`~gate.modes.pr.event`: which pull request and
commit, from the runner's event and the Action's inputs), the evidence (the base commit's files
and policy, :mod:`~gate.modes.pr.base`; the services judged, :mod:`~gate.modes.pr.evidence`; what
GitHub shows, :mod:`gate.github.gather`, gathered up front with a small, constant number of
requests per run: the checks are pure functions of it), the engine, then publishing
(:mod:`~gate.modes.pr.publish`).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys

from gate import UsageError, baseline
from gate import config as cfg
from gate.context import RunInfo
from gate.engine import evaluate
from gate.github import client as gh
from gate.github import env as ghenv
from gate.github import publish as pub
from gate.github.evidence import PullRequestEvidence
from gate.github.gather import gather, gather_countersign
from gate.model import blocks
from gate.modes.pr import event
from gate.modes.pr.base import BaseCommit, base_policy
from gate.modes.pr.evidence import mark_advisory, scope
from gate.modes.pr.publish import finish, pr_verdict, publish_check_run, write_pr_marker
from gate.options import load_config, make_workspace, parse_now, parse_only, providers, select
from gate.providers import start as start_live
from gate.services import discover
from gate.verdict import promote_blockers
from gate.workspace import Workspace


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


# -- pr ---------------------------------------------------------------------------------------
def run_pr(args: argparse.Namespace, env: ghenv.ActionEnv) -> int:
    now = parse_now(args.now)
    only = parse_only(args.only)
    strict = bool(args.strict) or ghenv.truthy(env.input("strict"))
    if not env.token:
        raise UsageError("pr mode needs a GitHub token: the github-token input (default ${{ github.token }})")
    owner, repo = env.owner_repo
    client = gh.Client(env.token, env.api_url)
    org_client = event.client_for(env.org_token, env) if env.org_token else None

    # the event: which pull request, which commit, what it changes
    target = event.pr_target(env, client, owner, repo)
    root = event.root_of(args, env)
    change = event.change(target, env, client, owner, repo, root)
    notes: list[str] = []

    # the evidence: the base commit's policy, the services judged, what GitHub shows
    base = BaseCommit(root, change.base_sha, client, owner, repo)
    config_path = event.config_path(args, env)
    config = base_policy(base, root, config_path)
    if config_path in change.files:
        notes.append(f"This pull request changes {config_path}: the change applies once merged; this run used "
                     "the configuration of the base commit (a pull request cannot loosen its own policy).")
    ws = make_workspace(root, config)
    all_services = discover(ws, config.path("services"))
    judged = scope(change, all_services, ws, config, base, root)
    notes.extend(judged.notes)
    evidence = gather(client, org_client, owner, repo, change.pr, target.head_sha, judged.touched, config, "pr",
                      base=base, run_id=env.run_id)
    gather_countersign(evidence, base, judged.touched, config, org_client or client)
    for what, why in evidence.errors.items():
        notes.append(f"GitHub evidence {what} is not available: {why}")

    # the judgement
    run = RunInfo(ws, config, now, "pr", pr=change.pr, base=change.base_sha, all_services=all_services,
                  github=evidence, providers=providers(args), strict=strict)
    start_live(run, judged.touched)
    report = evaluate(run, judged.touched, only, tuple(notes))
    report = mark_advisory(report, base)
    gone = judged.gone
    report = baseline.block(dataclasses.replace(report, services=(*report.services, *gone.reports)), gone.problems)
    if not judged.touched and not gone.reports:
        report = dataclasses.replace(report, notes=(*report.notes, "This pull request touches no service: "
                                                    "nothing to judge."))

    # publishing
    verdict = pr_verdict(report, strict)
    report, fallback = publish_check_run(verdict, client, owner, repo, target.head_sha, config.check_name,
                                         evidence.check_runs, env, root)
    finish(report, args, env, root, fallback, strict)
    write_pr_marker(root, target.number, target.head_sha)
    print(f"prodgate: {verdict.state}: {verdict.title}; {client.count} GitHub requests")
    return 1 if verdict.blocked else 0


# -- promote ----------------------------------------------------------------------------------
def run_promote(args: argparse.Namespace, env: ghenv.ActionEnv) -> int:
    now = parse_now(args.now)
    only = parse_only(args.only)
    root = event.root_of(args, env)
    probe = Workspace(root)
    sha = event.head_sha(root, env)
    notes: list[str] = []
    client = event.client_for(env.token, env)
    pr_ev: PullRequestEvidence | None = None
    owner = repo = ""
    config: cfg.Config | None = None
    base: BaseCommit | None = None
    if client is not None and sha:
        owner, repo = env.owner_repo
        promoted = event.promoted_change(client, owner, repo, sha, env)
        if isinstance(promoted, str):
            notes.append(promoted)
        else:
            pr_ev, number = promoted
            notes.append(f"Change-level items judged on pull request #{number}, merged as commit {sha[:12]}.")
            if pr_ev.base_sha:
                # the policy that judges a change is the one from before it: the PR's base
                base = BaseCommit(root, pr_ev.base_sha, client, owner, repo)
                path = event.config_path(args, env)
                config = base_policy(base, root, path)
                notes.append(f"Policy ({path} and the files it names) read at the base {pr_ev.base_sha[:12]} of pull "
                             f"request #{number}: a pull request cannot relax the policy that promotes it.")
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
    org_client = event.client_for(env.org_token, env) if env.org_token else None
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
    now = parse_now(args.now)
    only = parse_only(args.only)
    strict = bool(args.strict)
    root = event.root_of(args, env)
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
