"""What the Action leaves behind: the report files (``prodgate-report/``), the job summary, the step
outputs, the text report on stdout, and for ``pr`` the check run on the head commit (workflow
annotations instead where the token cannot write checks) and the marker naming the judged pull
request."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from gate import UsageError
from gate.github import client as gh
from gate.github import env as ghenv
from gate.github import publish as pub
from gate.github.evidence import CheckRun
from gate.model import Report, Status
from gate.options import write_outputs
from gate.render import renderer
from gate.render.text import render as text_render
from gate.verdict import pr_blockers, pr_state

#: where the report files go, relative to the workspace (the ``report`` output names the JSON)
REPORT_DIR = "prodgate-report"


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


@dataclass(frozen=True)
class Verdict:
    """A pull request's verdict: the report with the verdict's note first, the check run's state and title."""

    report: Report
    state: str
    title: str
    blocked: bool


def pr_verdict(report: Report, strict: bool) -> Verdict:
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
    return Verdict(report, state, pub.title(report, state, waiting), bool(blockers))


def publish_check_run(v: Verdict, client: gh.Client, owner: str, repo: str, head_sha: str, check_name: str,
                      runs: tuple[CheckRun, ...], env: ghenv.ActionEnv,
                      root: Path) -> tuple[Report, list[pub.Annotation] | None]:
    """Post (or update) the check run on ``head_sha``. Where the token cannot, the report says so and
    the annotations to emit as workflow commands instead are returned (else None)."""
    report = v.report
    notes_list = pub.collect_annotations(report, pub.non_blocking_pr(report))
    existing = pub.reusable_run(runs, check_name)
    markdown = renderer("markdown")(report)
    fallback: list[pub.Annotation] | None = None
    _, rel = _report_dir(root)
    try:
        res = pub.publish_check_run(client, owner, repo, head_sha, check_name, v.state, v.title, markdown,
                                    notes_list, existing, env.run_url, _pointer(env, root),
                                    pub.external_id(env.run_id, os.environ.get("GITHUB_RUN_ATTEMPT", "")))
        print(f"prodgate: check run {check_name!r} {'created' if res.created else 'updated'} on "
              f"{head_sha[:12]}: {v.title} ({res.annotations_sent} annotations sent"
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
    return report, fallback


def write_pr_marker(root: Path, number: int, head_sha: str) -> None:
    """``prodgate-report/pull-request.json``: which PR and commit the report is about (a
    workflow_run job publishing for a fork PR takes the number from it and verifies it)."""
    out_dir, _ = _report_dir(root)
    try:
        _safe_write(out_dir / "pull-request.json", json.dumps({"pull_request": number, "head_sha": head_sha}) + "\n")
    except OSError as exc:
        raise UsageError(f"cannot write {out_dir}: {exc.strerror}") from None
