"""``prodgate refresh``: re-judge the open pull requests whose verdict the clock has made stale.

Every verdict says until when it holds (``valid_until``, :mod:`gate.validity`): the check run's
summary carries it as a marker. A scheduled workflow runs ``prodgate refresh`` (or the Action with
``mode: refresh``) every few minutes; for each open pull request it

1. reads the newest ``prod-readiness`` check run on the PR's head (one request per PR) and its
   marker; a verdict whose ``valid_until`` lies ahead, or that has none, is left alone;
2. for a verdict that has expired: looks up the workflow run that produced it (the check run's
   ``details_url`` names it) and re-runs it (the Actions API's re-run: the PR is re-judged with its
   own checkout and event, as a person pressing "Re-run all jobs" would); a run still in progress
   is already re-judging and is left alone;
3. where a re-run is not possible (the run is gone or too old to re-run, or the token may not
   re-run workflows), posts a new check run that re-judges the change-level items that depend only
   on the clock (``promotion.freeze``, with the configuration and calendars of the PR's base
   commit) and carries the rest of the previous verdict forward while it holds; a verdict that
   expired for any other reason (a soak, a waiver, an attestation) cannot be re-judged without a
   checkout and becomes a failure saying so (fail closed).

At most ``--max-prs`` pull requests are refreshed per run, the stalest first; each costs a small
constant number of requests (one to read its check run; two more to re-run, or the configuration
and calendars plus one write for the fallback). Nothing is written when nothing expired.

Token permissions: :data:`PERMISSIONS`. A refusal of one of them ends the run with exit code 2,
after saying which permission is missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gate import UsageError, freeze, validity
from gate.github.client import Client, GitHubError, file_at
from gate.modes.refresh_args import DEFAULT_MAX, DEFAULT_SCAN, permissions_text
from gate.options import parse_now

_RUN_URL = re.compile(r"/actions/runs/(\d+)(?:/|$)")


class PermissionMissing(Exception):
    """GitHub refused a request for lack of a token permission."""

    def __init__(self, permission: str, exc: GitHubError) -> None:
        super().__init__(f"the token lacks '{permission}' ({exc})")
        self.permission = permission


def _refused(exc: GitHubError) -> bool:
    """A refusal for lack of a permission (not a rate limit, not a rule of the endpoint)."""
    msg = exc.message.lower()
    return exc.status == 403 and ("not accessible by integration" in msg or "must have" in msg
                                  or "permission" in msg)


@dataclass(frozen=True)
class Verdict:
    """An open pull request and the newest verdict on its head."""

    number: int
    head_sha: str
    base_sha: str
    labels: tuple[str, ...]
    run: dict[str, Any]  # the check run, as GitHub lists it
    marker: validity.Marker

    @property
    def expired_at(self) -> dt.datetime:
        assert self.marker.until is not None
        return self.marker.until

    @property
    def conclusion(self) -> str:
        return str(self.marker.prior or self.run.get("conclusion") or self.run.get("status") or "")


@dataclass
class Outcome:
    number: int
    action: str  # "re-ran", "posted", "skipped", "error"
    detail: str


@dataclass
class Refresh:
    client: Client
    owner: str
    repo: str
    check_name: str
    now: dt.datetime
    config_path: str
    server_url: str = "https://github.com"
    missing: list[str] = field(default_factory=list)
    #: the override label of the base commit's configuration (read by the fallback)
    label: str = field(default="", init=False)

    @property
    def base(self) -> str:
        return f"/repos/{self.owner}/{self.repo}"

    # -- reading --------------------------------------------------------------------------------
    def open_pulls(self, scan: int) -> list[dict[str, Any]]:
        try:
            return self.client.all(f"{self.base}/pulls", {"state": "open", "sort": "updated", "direction": "desc"},
                                   limit=scan)
        except GitHubError as exc:
            if _refused(exc):
                raise PermissionMissing("pull-requests: read", exc) from None
            raise

    def verdict(self, pull: dict[str, Any]) -> Verdict | None:
        """The newest check run named ``check_name`` on the PR's head, with its marker (None when
        there is no such run or it carries no marker: nothing to refresh)."""
        head = (pull.get("head") or {}).get("sha")
        number = pull.get("number")
        if not isinstance(head, str) or not isinstance(number, int):
            return None
        try:
            data = self.client.get(f"{self.base}/commits/{head}/check-runs",
                                   {"check_name": self.check_name, "filter": "latest", "per_page": 100})
        except GitHubError as exc:
            if _refused(exc):
                raise PermissionMissing("checks: write", exc) from None
            raise
        listed = data.get("check_runs") if isinstance(data, dict) else None
        runs = [r for r in listed or [] if isinstance(r, dict) and r.get("name") == self.check_name]
        if not runs:
            return None
        # several suites may each list one (a re-run in another suite): the newest (ids grow) counts
        newest = max(runs, key=lambda r: int(r.get("id") or 0))
        marker = validity.read_marker(str((newest.get("output") or {}).get("summary") or ""))
        if marker is None:
            return None
        base_sha = str((pull.get("base") or {}).get("sha") or "")
        labels = tuple(str(lb.get("name", "")) for lb in pull.get("labels") or [] if isinstance(lb, dict))
        return Verdict(number, head, base_sha, labels, newest, marker)

    # -- acting ---------------------------------------------------------------------------------
    def rejudge(self, v: Verdict) -> Outcome:
        url = str(v.run.get("details_url") or "")
        m = _RUN_URL.search(url)
        if m is None or f"/{self.owner}/{self.repo}/".lower() not in url.lower():
            return self.fallback(v, "the check run names no workflow run of this repository")
        run_id = int(m.group(1))
        try:
            run = self.client.get(f"{self.base}/actions/runs/{run_id}", {"exclude_pull_requests": "true"})
        except GitHubError as exc:
            if exc.status == 404:
                return self.fallback(v, f"workflow run {run_id} no longer exists")
            if _refused(exc):
                self.missing.append("actions: write")
                return self.fallback(v, f"the token cannot read workflow run {run_id}")
            raise
        if not isinstance(run, dict):
            return self.fallback(v, f"workflow run {run_id} could not be read")
        if str(run.get("status") or "") != "completed":
            return Outcome(v.number, "skipped", f"workflow run {run_id} is {run.get('status')}: it is re-judging "
                                                "already")
        if run.get("head_sha") and run.get("head_sha") != v.head_sha:
            return self.fallback(v, f"workflow run {run_id} judged another commit")
        try:
            self.client.request("POST", f"{self.base}/actions/runs/{run_id}/rerun")
        except GitHubError as exc:
            if _refused(exc):
                self.missing.append("actions: write")
                return self.fallback(v, "the token may not re-run workflows")
            if exc.status in (403, 404, 409, 422):  # too old to re-run, or not re-runnable
                return self.fallback(v, f"workflow run {run_id} cannot be re-run ({exc.message})")
            raise
        return Outcome(v.number, "re-ran", f"workflow run {run_id} re-run: the verdict expired at "
                                           f"{validity.iso(v.expired_at)}{self._why(v)}")

    @staticmethod
    def _why(v: Verdict) -> str:
        if not v.marker.item:
            return ""
        return f" ({v.marker.service + ': ' if v.marker.service else ''}{v.marker.item})"

    def fallback(self, v: Verdict, why_not: str) -> Outcome:
        """A new check run: the time-only change-level items re-judged, the rest carried forward
        while it holds; a failure saying so where that is not enough."""
        m = v.marker
        prior = v.conclusion
        rerun = "push a commit or re-run the workflow to re-judge it"
        if m.item not in validity.TIME_ONLY or m.service:
            lines = [f"The verdict expired at {validity.iso(v.expired_at)}{self._why(v)} and could not be re-judged "
                     f"here ({why_not}): {rerun}."]
            return self._post(v, "failure", "Verdict expired: re-run needed", lines,
                              validity.Marker(None, rest=None, prior=prior), why_not)
        if m.rest is not None and m.rest <= self.now:
            lines = [f"The verdict expired at {validity.iso(v.expired_at)} and the rest of it at "
                     f"{validity.iso(m.rest)} ({why_not}): {rerun}."]
            return self._post(v, "failure", "Verdict expired: re-run needed", lines,
                              validity.Marker(None, prior=prior), why_not)
        try:
            hits, edge = self._freeze(v)
        except ValueError as exc:
            lines = [f"The freeze could not be re-judged at the base commit: {exc}; {rerun}."]
            return self._post(v, "failure", "Freeze not re-judged: re-run needed", lines,
                              validity.Marker(None, prior=prior), why_not)
        until = min((t for t in (edge.at if edge else None, m.rest) if t is not None), default=None)
        item = "promotion.freeze" if edge is not None and until == edge.at else ""
        keep = validity.Marker(until, item, "", m.rest, prior)
        if hits:
            lines = [f"Merging is frozen: {h}." for h in hits]
            lines.append("An override label is re-judged with its approvals only by a full run: " + rerun + "."
                         if self._override(v) else "Wait for the window to end, or add the override label with "
                                                   "an approval from an override approver.")
            return self._post(v, "failure", "Frozen: a freeze window holds now", lines, keep, why_not)
        if prior == "success":
            lines = ["No freeze window holds now; the rest of the previous verdict (success) holds until "
                     f"{validity.iso(m.rest) if m.rest else 'its inputs change'}."]
            return self._post(v, "success", "Ready: no freeze window holds now", lines, keep, why_not)
        lines = [f"No freeze window holds now, but the previous verdict was {prior or 'not final'}: {rerun}."]
        return self._post(v, "failure", f"Not ready: the previous verdict ({prior or 'not final'}) stands", lines,
                          keep, why_not)

    def _override(self, v: Verdict) -> bool:
        return freeze.labelled(self.label, v.labels)

    def _freeze(self, v: Verdict) -> tuple[list[str], freeze.Edge | None]:
        """The freeze at ``now`` with the base commit's configuration: (windows holding now, the next edge)."""
        from gate import config as cfg

        text = self._file(self.config_path, v.base_sha)
        try:
            conf = cfg.parse(text, self.config_path) if text is not None else cfg.defaults()
        except cfg.ConfigError as exc:
            raise ValueError(str(exc).splitlines()[0]) from None
        self.label = conf.freeze.override.label
        calendars: dict[str, str] = {}
        for path in conf.freeze.calendars:
            got = self._file(path, v.base_sha)
            if got is None:
                raise ValueError(f"freeze calendar {path} does not exist at the base commit")
            calendars[path] = got
        try:
            res = freeze.evaluate(conf.freeze, self.now, calendars)
        except freeze.FreezeError as exc:
            raise ValueError(exc.message) from None
        return [h.describe() for h in res.hits], res.boundary

    def _file(self, path: str, ref: str) -> str | None:
        try:
            return file_at(self.client, self.owner, self.repo, path, ref)
        except GitHubError as exc:
            if _refused(exc):
                raise PermissionMissing("contents: read", exc) from None
            raise

    def _post(self, v: Verdict, conclusion: str, title: str, lines: list[str], marker: validity.Marker,
              why_not: str) -> Outcome:
        from gate.render.markdown import escape

        summary = "\n".join([
            f"## prodgate refresh: {title}", "", validity.write_marker(marker), "",
            *(f"- {escape(line)}" for line in lines), "",
            f"_Posted by `prodgate refresh` at {validity.iso(self.now)}: the previous verdict expired at "
            f"{validity.iso(v.expired_at)}{escape(self._why(v))} and its workflow run was not re-run "
            f"({escape(why_not)}). Only the change-level items that depend on the clock alone are re-judged "
            "here._",
        ]) + "\n"
        body: dict[str, Any] = {
            "name": self.check_name, "head_sha": v.head_sha, "status": "completed", "conclusion": conclusion,
            "completed_at": validity.iso(self.now),
            "output": {"title": title[:1000], "summary": summary},
        }
        if v.run.get("details_url"):
            body["details_url"] = str(v.run["details_url"])
        try:
            self.client.request("POST", f"{self.base}/check-runs", body=body)
        except GitHubError as exc:
            if _refused(exc):
                raise PermissionMissing("checks: write", exc) from None
            raise
        return Outcome(v.number, "posted", f"{conclusion}: {title} ({why_not})")


def refresh(r: Refresh, scan: int = DEFAULT_SCAN, max_prs: int = DEFAULT_MAX) -> tuple[list[Outcome], list[Verdict]]:
    """Read the open pull requests' verdicts, re-judge the expired ones (stalest first, at most
    ``max_prs``). Returns what was done and the expired verdicts left for a later run."""
    expired: list[Verdict] = []
    done: list[Outcome] = []
    for pull in r.open_pulls(scan):
        if not isinstance(pull, dict):
            continue
        try:
            v = r.verdict(pull)
        except GitHubError as exc:
            # one unreadable verdict must not leave every other expired verdict standing: an
            # error for this PR (exit 1), the others are still re-judged
            done.append(Outcome(int(pull.get("number") or 0), "error", f"its verdict could not be read: {exc}"))
            continue
        if v is not None and v.marker.until is not None and v.marker.until <= r.now:
            expired.append(v)
    expired.sort(key=lambda v: (v.expired_at, v.number))
    for v in expired[:max_prs]:
        try:
            done.append(r.rejudge(v))
        except GitHubError as exc:
            done.append(Outcome(v.number, "error", str(exc)))
    return done, expired[max_prs:]


def _check_name(config_path: str, explicit: str | None) -> str:
    if explicit:
        return explicit
    p = Path(config_path)
    if p.is_file():
        from gate import config as cfg

        try:
            return cfg.parse(p.read_text(encoding="utf-8"), config_path).check_name
        except (cfg.ConfigError, OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{config_path}: {str(exc).splitlines()[0]}") from None
    return "prod-readiness"


def run_refresh(args: argparse.Namespace) -> int:
    from gate.config import DEFAULT_PATH
    from gate.github import env as ghenv

    env = ghenv.load()
    now = parse_now(args.now)
    if args.max_prs < 1 or args.scan < 1:
        raise UsageError("--max-prs and --scan must be at least 1")
    if not env.token:
        raise UsageError("refresh needs a GitHub token (the github-token input, or GITHUB_TOKEN) with: "
                         + permissions_text())
    try:
        owner, repo = env.owner_repo
    except ghenv.EnvError as exc:
        raise UsageError(str(exc)) from None
    config_path = args.config or DEFAULT_PATH
    r = Refresh(Client(env.token, env.api_url), owner, repo, _check_name(config_path, args.check_name), now,
                config_path, env.server_url)
    try:
        done, left = refresh(r, args.scan, args.max_prs)
    except PermissionMissing as exc:
        print(f"prodgate: refresh: {exc}. The workflow's `permissions:` must grant: {permissions_text()}",
              file=sys.stderr)
        return 2
    except GitHubError as exc:
        print(f"prodgate: refresh: {exc}", file=sys.stderr)
        return 1
    lines = [f"#{o.number}: {o.action}: {o.detail}" for o in done]
    if left:
        lines.append(f"{len(left)} more expired verdict(s) left for the next run (--max-prs {args.max_prs}): "
                     + ", ".join(f"#{v.number}" for v in left))
    if not done:
        lines.append("no verdict has expired: nothing to do")
    for line in lines:
        print(f"prodgate: refresh: {line}")
    if env.step_summary is not None:
        from gate.render.markdown import escape

        try:
            with env.step_summary.open("a", encoding="utf-8") as fh:
                fh.write("## prodgate refresh\n\n" + "".join(f"- {escape(x)}\n" for x in lines))
        except OSError as exc:
            print(f"prodgate: refresh: cannot write the job summary: {exc.strerror}", file=sys.stderr)
    print(f"prodgate: refresh: {r.client.count} GitHub requests")
    if r.missing:
        print(f"prodgate: refresh: the token lacks {', '.join(sorted(set(r.missing)))}: expired verdicts were "
              f"re-judged by the fallback only. Grant: {permissions_text()}", file=sys.stderr)
        return 2
    return 1 if any(o.action == "error" for o in done) else 0
