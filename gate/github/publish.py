"""Publishing a verdict: the check run (with annotations), the job summary, the step outputs,
and the workflow-command fallback when check runs cannot be created (a fork PR's token).

- A verdict goes on a **new** check run, whose annotations are exactly its findings: GitHub
  keeps every annotation a run was ever given and a completed run's conclusion, so a completed
  run is never reused. The only run completed rather than created is an ``in_progress`` run this
  gate left (a pending verdict, known by its ``external_id``) on the same head sha whose
  annotations all belong to the new verdict; one carrying an earlier verdict's annotations is
  superseded (completed ``cancelled``) by a new run. Runs of other apps are never touched.
- A POST whose answer was lost is followed by a look-up of the run carrying this process's
  ``external_id`` before it is tried again; a run that existed before is never adopted.
- Annotations go in batches of at most 50 (GitHub's limit per request); each PATCH *appends*,
  so the batches GitHub accepted are tracked (the run's ``annotations_count``) and a batch whose
  answer was lost is checked before it is sent again.
- The summary is the Markdown report cut at 65,535 bytes (UTF-8) with a pointer to the full
  report; the job summary is cut at 1 MiB. A cut keeps whole lines and the report's notes (the
  verdict, what was not shown), closes a ``<details>`` block it opened (else the pointer would be
  folded away) and counts the findings and items it leaves out
  (:func:`gate.render.markdown.cut`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from gate import safeio
from gate.github.client import Client, GitHubError, retry_wait
from gate.github.evidence import CheckRun
from gate.model import Level, Report, Status, counts
from gate.render.markdown import cut as cut_markdown
from gate.verdict import PROMOTION_TIME

MAX_SUMMARY_BYTES = 65_535
MAX_JOB_SUMMARY_BYTES = 1024 * 1024
MAX_ANNOTATION_MESSAGE_BYTES = 64 * 1024 - 1
ANNOTATIONS_PER_REQUEST = 50
#: workflow-command annotations GitHub displays per step, per level
SHOWN_PER_LEVEL = 10


class ChecksForbidden(Exception):
    """The token cannot create check runs (a fork PR's read-only token)."""


# -- text limits ------------------------------------------------------------------------------
def cut_bytes(text: str, limit: int, pointer: str) -> str:
    """``text`` when it fits in ``limit`` UTF-8 bytes, else its longest prefix (cut at a line
    end when one is near) followed by ``pointer``."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    tail = "\n\n" + pointer + "\n"
    room = limit - len(tail.encode("utf-8"))
    head = data[: max(0, room)].decode("utf-8", "ignore")
    nl = head.rfind("\n")
    if nl > len(head) * 0.8:
        head = head[:nl]
    return head + tail


# -- annotations ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Annotation:
    path: str
    start_line: int
    end_line: int
    level: str  # failure, warning, notice
    message: str
    title: str

    def to_api(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "annotation_level": self.level,
            "message": self.message,
            "title": self.title,
        }

    @property
    def key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.start_line, self.end_line, self.level, self.message)


def collect_annotations(report: Report, non_blocking: Callable[[str, str], bool] | None = None) -> list[Annotation]:
    """Every finding with a file position, in report order. A ``failure`` of an item that does
    not block (``non_blocking(service, item_id)``) is shown as a ``warning``. Message and title
    are the finding's text without terminal escapes or control and invisible characters (line
    breaks and tabs kept in the message), as in every other output."""
    out: list[Annotation] = []
    groups = [("", report.items)] + [(s.name, s.items) for s in report.services]
    for svc, items in groups:
        for it in items:
            for f in it.findings:
                if not f.path or f.line is None or f.line < 1:
                    continue
                level = f.level.value
                if it.status in (Status.PASS, Status.SKIP, Status.WAIVED):
                    level = Level.NOTICE.value
                elif level == Level.FAILURE.value and non_blocking is not None and non_blocking(svc, it.id):
                    level = Level.WARNING.value
                prefix = f"[{svc}] " if svc else ""
                # repository text: no terminal escape, no control or invisible (bidi) character
                # reaches GitHub's annotation view or the runner's log (safeio.plain)
                msg = safeio.plain(f"{prefix}{it.id} ({it.status.value}): {f.message}")
                msg = cut_bytes(msg, MAX_ANNOTATION_MESSAGE_BYTES, "(message cut)")
                title = " ".join(safeio.plain(f"{prefix}{it.id}: {it.title}").split())[:255]
                end = max(f.end_line or f.line, f.line)
                out.append(Annotation(f.path, f.line, end, level, msg, title))
    return out


def batches(items: list[Annotation], size: int = ANNOTATIONS_PER_REQUEST) -> list[list[Annotation]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


# -- title ------------------------------------------------------------------------------------
def title(report: Report, state: str, waiting_for: Iterable[str] = ()) -> str:
    """The report's headline (``✓ ready``, ``✓ ready as far as this run can see``, ``✗ not
    ready``) with the counts, or what a pending verdict waits for."""
    all_items = list(report.items) + [i for s in report.services for i in s.items]
    c = counts(all_items)
    n = len(report.services)
    svc = f"{n} service{'s' if n != 1 else ''}"
    parts = [f"{c[k]} {k}" for k in ("fail", "pending", "manual", "unverified", "warn", "waived") if c[k]]
    tally = ", ".join(parts) if parts else f"{c['pass']} pass"
    if state == "pending":
        waits = sorted(set(waiting_for))
        shown = ", ".join(waits[:4]) + (f" and {len(waits) - 4} more" if len(waits) > 4 else "")
        return f"Waiting for {shown} ({svc}: {tally})"
    from gate.verdict import report_headline  # the one headline vocabulary (text, Markdown, catalog)

    head = report_headline(report)
    return f"{head.mark} {head.words} — {svc}: {tally}"


# -- check run --------------------------------------------------------------------------------
@dataclass
class Published:
    check_run_id: int | None = None
    created: bool = False
    annotations_sent: int = 0
    annotations_skipped: int = 0
    notes: list[str] = field(default_factory=list)


#: the prefix of the ``external_id`` of every check run prodgate creates
EXTERNAL_PREFIX = "prodgate"


def external_id(run_id: str = "", attempt: str = "") -> str:
    """A fresh ``external_id`` for the run this process creates: the workflow run, its attempt and
    a random part, so that a run found after a lost POST is certainly this process's."""
    return f"{EXTERNAL_PREFIX}:{run_id or '-'}:{attempt or '-'}:{secrets.token_hex(8)}"


def reusable_run(runs: Iterable[CheckRun], name: str) -> CheckRun | None:
    """The check run this verdict may complete: the newest run named ``name`` that this gate
    created (its ``external_id``), when it is still ``in_progress`` (a pending verdict). A
    completed run is never reused (GitHub keeps its conclusion and every annotation it was
    given): a new verdict goes on a new run. A run of another app is never touched (GitHub
    refuses the PATCH with 403)."""
    mine = [c for c in runs if c.name == name and c.id is not None and c.external_id.startswith(EXTERNAL_PREFIX + ":")]
    if not mine:
        return None
    newest = max(mine, key=lambda c: c.id or 0)
    return newest if newest.status in ("in_progress", "queued") else None


def _run_view(client: Client, owner: str, repo: str, run_id: int) -> int | None:
    """The run's annotation count, None when it cannot be read."""
    try:
        data = client.get(f"/repos/{owner}/{repo}/check-runs/{run_id}")
    except GitHubError:
        return None
    out = (data or {}).get("output") or {}
    v = out.get("annotations_count")
    return int(v) if isinstance(v, int) else None


def _find(client: Client, owner: str, repo: str, sha: str, name: str, ext: str) -> CheckRun | None:
    """The run a POST whose answer was lost created: the one carrying this process's
    ``external_id`` (never a run that existed before)."""
    from gate.github.client import check_runs

    if not ext:
        return None
    for c in check_runs(client, owner, repo, sha):
        if c.name == name and c.id is not None and c.external_id == ext:
            return c
    return None


def _existing_keys(client: Client, owner: str, repo: str, run_id: int) -> list[tuple[str, int, int, str, str]]:
    keys: list[tuple[str, int, int, str, str]] = []
    for a in client.all(f"/repos/{owner}/{repo}/check-runs/{run_id}/annotations"):
        keys.append((str(a.get("path", "")), int(a.get("start_line") or 0), int(a.get("end_line") or 0),
                     str(a.get("annotation_level", "")), str(a.get("message", ""))))
    return keys


def _other_app(exc: GitHubError) -> bool:
    """GitHub's 403 for a PATCH of a run another app created."""
    return exc.status == 403 and "can only be modified by the github app" in exc.message.lower()


def publish_check_run(
    client: Client,
    owner: str,
    repo: str,
    head_sha: str,
    name: str,
    state: str,
    title_text: str,
    summary: str,
    notes: list[Annotation],
    existing: CheckRun | None = None,
    details_url: str = "",
    pointer: str = "The report is cut here (GitHub's size limit): the full report is in the job summary.",
    ext_id: str = "",
) -> Published:
    """Publish the verdict as the check run ``name`` on ``head_sha`` with every annotation.

    ``existing`` (see :func:`reusable_run`) is completed only when it is an ``in_progress`` run
    this gate left and every annotation it carries is one of this verdict's (GitHub appends
    annotations and never removes one): then only the missing ones are sent. Otherwise a new run
    is created (with ``ext_id`` as its ``external_id``) and the pending run it supersedes is
    completed as ``cancelled``, saying so.
    ``state``: ``success``/``failure`` complete the run, ``pending`` leaves it ``in_progress``.
    Raises :class:`ChecksForbidden` when the token cannot write check runs.
    """
    result = Published()
    base = f"/repos/{owner}/{repo}"
    ext_id = ext_id or external_id()
    output_base = {"title": title_text[:1000], "summary": cut_markdown(summary, MAX_SUMMARY_BYTES, pointer)}
    status_fields: dict[str, Any] = {"status": "in_progress"} if state == "pending" else {
        "status": "completed", "conclusion": state}
    if details_url:
        status_fields["details_url"] = details_url

    todo = list(notes)
    accepted = 0
    superseded: CheckRun | None = None
    if existing is not None and existing.id is not None and existing.status != "completed":
        have: list[tuple[str, int, int, str, str]] | None = []
        if existing.annotations_count:
            try:
                have = _existing_keys(client, owner, repo, existing.id)
            except GitHubError:
                have = None
        current = {a.key for a in notes}
        if have is not None and len(have) == existing.annotations_count and set(have) <= current:
            result.check_run_id = existing.id
            accepted = existing.annotations_count
            before = len(todo)
            todo = [a for a in todo if a.key not in set(have)]
            result.annotations_skipped = before - len(todo)
        else:
            superseded = existing  # it carries an earlier verdict's annotations: a new run
    chunks = batches(todo)
    first, rest = chunks[0], chunks[1:]

    if result.check_run_id is not None:
        try:
            _patch_batch(client, base, result.check_run_id, {**status_fields, "output": output_base}, first,
                         accepted, result)
            accepted += len(first)
        except GitHubError as exc:
            if not _other_app(exc):
                raise
            # not ours after all (another app's run): leave it alone, start a run of our own
            result.check_run_id, accepted, result.annotations_skipped = None, 0, 0
            chunks = batches(list(notes))
            first, rest = chunks[0], chunks[1:]
    if result.check_run_id is None:
        accepted = _create(client, base, owner, repo, head_sha, name, ext_id, status_fields, output_base, first,
                           result)
    try:
        for chunk in rest:
            assert result.check_run_id is not None
            _patch_batch(client, base, result.check_run_id, {"output": output_base}, chunk, accepted, result)
            accepted += len(chunk)
    except GitHubError as exc:
        _incomplete(client, base, result.check_run_id, state, output_base,
                    result.annotations_sent + result.annotations_skipped, len(notes), exc)
        raise
    if superseded is not None and superseded.id is not None and superseded.id != result.check_run_id:
        _supersede(client, base, superseded.id, result.check_run_id)
    return result


def _create(client: Client, base: str, owner: str, repo: str, head_sha: str, name: str, ext_id: str,
            status_fields: dict[str, Any], output_base: dict[str, Any], first: list[Annotation],
            result: Published) -> int:
    """POST a new run with the first batch; returns the number of annotations it holds. A POST
    whose answer was lost is followed by a look-up of the run carrying ``ext_id`` before it is
    tried again."""
    body = {"name": name, "head_sha": head_sha, "external_id": ext_id, **status_fields,
            "output": {**output_base, "annotations": [a.to_api() for a in first]}}
    attempt = 0
    while True:
        attempt += 1
        try:
            _, data = client.request("POST", f"{base}/check-runs", body=body, idempotent=False)
            result.check_run_id = int(data["id"])
            result.created = True
            result.annotations_sent += len(first)
            return len(first)
        except GitHubError as exc:
            if exc.forbidden_for_integration or (exc.status == 403 and _no_retry(exc, attempt, client)):
                raise ChecksForbidden(str(exc)) from None
            found = _find(client, owner, repo, head_sha, name, ext_id) if exc.ambiguous else None
            if found is not None and found.id is not None:
                # the POST was applied, its answer lost: never POST again
                result.check_run_id = found.id
                result.created = True
                if found.annotations_count >= len(first):
                    result.annotations_sent += len(first)
                    return found.annotations_count
                _patch_batch(client, base, found.id, {"output": output_base}, first, found.annotations_count, result)
                return found.annotations_count + len(first)
            _wait_or_raise(client, exc, attempt)


def _supersede(client: Client, base: str, old: int, new: int | None) -> None:
    """Complete a pending run of this gate that a newer verdict replaced (a new run, because
    the old one carries annotations of an earlier verdict): ``cancelled``, never a conclusion
    that passes. Best effort: the newest run of the name is the one GitHub shows."""
    body = {"status": "completed", "conclusion": "cancelled",
            "output": {"title": "Superseded by a newer prodgate verdict",
                       "summary": f"A newer verdict is on check run {new}: this run's annotations are out of date."}}
    with contextlib.suppress(GitHubError):
        client.request("PATCH", f"{base}/check-runs/{old}", body=body, idempotent=False)


def _incomplete(client: Client, base: str, run_id: int | None, state: str, output: dict[str, Any],
                shown: int, total: int, exc: GitHubError) -> None:
    """The API failed after the run was created: one last PATCH (no retry) completes the run
    saying so, so that it is never left ``in_progress`` nor silently short of annotations. A
    pending verdict completes as ``failure`` (fail closed); the next run of the gate starts a
    fresh run. When this PATCH fails too, the workflow's log and job summary still say it."""
    if run_id is None:
        return
    conclusion = "failure" if state in ("pending", "failure") else state
    note = (f"prodgate could not finish publishing this check run: GitHub answered {exc.status or 'nothing'} "
            f"after {shown} of {total} annotations were attached. Every finding is in the workflow's job "
            "summary and report files; re-run the workflow to publish them here.")
    body = {"status": "completed", "conclusion": conclusion,
            "output": {"title": f"Incomplete: {output['title']}"[:1000],
                       "summary": cut_markdown(note + "\n\n" + output["summary"], MAX_SUMMARY_BYTES,
                                               "The report is cut here: the full report is in the job summary.")}}
    with contextlib.suppress(GitHubError):  # the log and the job summary say it in any case
        client.request("PATCH", f"{base}/check-runs/{run_id}", body=body, idempotent=False)


def _no_retry(exc: GitHubError, attempt: int, client: Client) -> bool:
    """A 403 that is not a rate limit (permissions): do not retry."""
    return retry_wait(exc.status, exc.message, exc.headers, attempt, client.policy) is None


def _wait_or_raise(client: Client, exc: GitHubError, attempt: int) -> None:
    if attempt >= client.policy.max_attempts:
        raise exc
    wait = retry_wait(exc.status, exc.message, exc.headers, attempt, client.policy)
    if wait is None:
        raise exc
    left = client.policy.budget_seconds - (client.policy.clock() - client._started)
    if wait > left:
        raise exc
    client.policy.sleep(wait)


def _patch_batch(client: Client, base: str, run_id: int, fields: dict[str, Any], chunk: list[Annotation],
                 accepted_before: int, result: Published) -> None:
    """PATCH the run with one batch; PATCH appends annotations, so a batch whose answer was lost
    is sent again only when the run's count shows it was not applied."""
    body = {**fields, "output": {**fields["output"], "annotations": [a.to_api() for a in chunk]}}
    path = f"{base}/check-runs/{run_id}"
    owner_repo = base.split("/", 3)[2:]
    attempt = 0
    while True:
        attempt += 1
        try:
            client.request("PATCH", path, body=body, idempotent=False)
            result.annotations_sent += len(chunk)
            return
        except GitHubError as exc:
            if exc.forbidden_for_integration:
                raise ChecksForbidden(str(exc)) from None
            if exc.ambiguous and chunk:
                seen = _run_view(client, owner_repo[0], owner_repo[1], run_id)
                if seen is not None and seen >= accepted_before + len(chunk):
                    result.annotations_sent += len(chunk)
                    return  # applied: its answer was lost
            _wait_or_raise(client, exc, attempt)


# -- workflow commands (fallback) -------------------------------------------------------------
def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(a: Annotation) -> str:
    kind = {"failure": "error", "warning": "warning", "notice": "notice"}[a.level]
    props = [f"file={escape_property(a.path)}", f"line={a.start_line}", f"endLine={a.end_line}",
             f"title={escape_property(a.title)}"]
    return safeio.command(f"::{kind} {','.join(props)}::{escape_data(a.message)}")


def emit_workflow_annotations(items: list[Annotation], out: TextIO | None = None) -> str:
    """Print the annotations GitHub will display (10 per level per step) and say how many were
    not shown; returns that sentence ("" when every one was shown)."""
    stream = out or sys.stdout
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for a in items:
        if shown.get(a.level, 0) < SHOWN_PER_LEVEL:
            stream.write(workflow_command(a) + "\n")
            shown[a.level] = shown.get(a.level, 0) + 1
        else:
            hidden[a.level] = hidden.get(a.level, 0) + 1
    stream.flush()
    if not hidden:
        return ""
    parts = ", ".join(f"{n} {lvl}" for lvl, n in sorted(hidden.items()))
    return (f"{sum(hidden.values())} annotations were not shown as workflow annotations ({parts}; GitHub "
            f"displays at most {SHOWN_PER_LEVEL} per level per step): every finding is in the job summary "
            "and the JSON/SARIF report")


def stop_commands(text: str) -> str:
    """Untrusted text printed to the log, with workflow commands disabled inside it (in GitHub
    Actions; elsewhere no runner reads them: the text as it is)."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return text.rstrip() + "\n"
    token = secrets.token_hex(16)
    return f"{safeio.command(f'::stop-commands::{token}')}\n{text.rstrip()}\n{safeio.command(f'::{token}::')}\n"


# -- job summary and outputs ------------------------------------------------------------------
def write_job_summary(path: Path | None, markdown: str, pointer: str) -> None:
    if path is None:
        return
    body = cut_markdown(markdown, MAX_JOB_SUMMARY_BYTES - 1024, pointer)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(body)
        if not body.endswith("\n"):
            fh.write("\n")


def write_outputs(path: Path | None, values: dict[str, str]) -> None:
    """Step outputs in the ``GITHUB_OUTPUT`` file, each with a random heredoc delimiter."""
    if path is None:
        return
    with path.open("a", encoding="utf-8") as fh:
        for name, value in values.items():
            delim = f"ghadelimiter_{secrets.token_hex(16)}"
            while delim in value:
                delim = f"ghadelimiter_{secrets.token_hex(16)}"
            fh.write(f"{name}<<{delim}\n{value}\n{delim}\n")


def non_blocking_pr(report: Report) -> Callable[[str, str], bool]:
    """In ``pr`` mode: does (service, item) not block the PR?"""
    advisory = {s.name for s in report.services if s.advisory}
    any_blocking = any(not s.advisory for s in report.services)

    def nb(svc: str, item_id: str) -> bool:
        if not svc:
            return not any_blocking
        return svc in advisory or item_id in PROMOTION_TIME

    return nb
