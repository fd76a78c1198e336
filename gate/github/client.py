"""A small GitHub REST client on PyGithub's requester, with a bounded retry policy of its own.

- REST only (no GraphQL). Every request goes through :meth:`Client.request`, which counts it
  (tests assert a small constant number per run).
- PyGithub's default ``GithubRetry`` (which can sleep for many minutes and retries POST on 5xx)
  is disabled (``retry=None``). Instead: 5xx, 429, and secondary rate limits (403 with
  ``retry-after``, or ``x-ratelimit-remaining: 0`` with ``x-ratelimit-reset``) are retried with
  exponential backoff and jitter, within a total time budget. A wait longer than what is left of
  the budget is not started: the error is raised at once.
- Requests that are not idempotent (POST) are never retried here: the caller decides (the
  check-run publisher looks the run up before trying again, so a POST that created the run
  before the connection broke never makes a second one).
- The token is never printed, logged or put in an exception message: :class:`GitHubError`
  carries the method, the path, the status and GitHub's message only.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gate.github.evidence import CheckRun, CommitStatus, Deployment, PullRequestEvidence, Review
from gate.workspace import RemoteError

log = logging.getLogger("prodgate.github")

#: requests per page of a list endpoint (GitHub's maximum)
PER_PAGE = 100


#: GitHub token formats (classic, fine-grained, app installation, OAuth, refresh)
_TOKEN_SHAPED = re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{16,})")


class GitHubError(RemoteError):
    """A GitHub request that failed for good. ``status`` is None for a network failure."""

    def __init__(self, method: str, path: str, status: int | None, message: str,
                 headers: dict[str, str] | None = None) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.message = message
        self.headers = headers or {}
        what = f"HTTP {status}" if status is not None else "no answer"
        super().__init__(f"GitHub {method} {path}: {what}: {message}")

    @property
    def forbidden_for_integration(self) -> bool:
        """The read-only token of a fork PR: 403 "Resource not accessible by integration"."""
        return self.status == 403 and "not accessible by integration" in self.message.lower()

    @property
    def ambiguous(self) -> bool:
        """The request may have been applied even though no success answer came back."""
        return self.status is None or self.status >= 500


class TooLong(GitHubError):
    """A list longer than the gate reads (:meth:`Client.all` with ``whole``): what lies past its
    limit is unknown, so the list is not judged at all."""

    def __init__(self, path: str, limit: int) -> None:
        self.method, self.path, self.status, self.headers = "GET", path, None, {}
        self.message = (f"lists more than {limit:,} items, the most the gate reads; what lies past them "
                        "cannot be judged")
        RemoteError.__init__(self, f"GitHub GET {path}: {self.message}")


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter, bounded by attempts and a total time budget."""

    max_attempts: int = 5
    budget_seconds: float = 120.0
    base_seconds: float = 1.0
    cap_seconds: float = 30.0
    #: GitHub asks for at least a minute after a secondary rate limit without retry-after
    secondary_seconds: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    rand: Callable[[], float] = field(default=random.random, repr=False)

    @classmethod
    def from_env(cls) -> RetryPolicy:
        """Defaults, adjustable with ``PRODGATE_RETRY_BUDGET`` / ``PRODGATE_RETRY_BASE`` (seconds)
        and ``PRODGATE_RETRY_ATTEMPTS``."""
        p = cls()
        try:
            if os.environ.get("PRODGATE_RETRY_BUDGET"):
                p.budget_seconds = float(os.environ["PRODGATE_RETRY_BUDGET"])
            if os.environ.get("PRODGATE_RETRY_BASE"):
                p.base_seconds = float(os.environ["PRODGATE_RETRY_BASE"])
            if os.environ.get("PRODGATE_RETRY_ATTEMPTS"):
                p.max_attempts = max(1, int(os.environ["PRODGATE_RETRY_ATTEMPTS"]))
        except ValueError:
            pass
        return p

    def backoff(self, attempt: int) -> float:
        """Attempt 1, 2, ...: a random wait in [d/2, d], d = base·2^(attempt-1) capped."""
        d = min(self.cap_seconds, self.base_seconds * (2 ** (attempt - 1)))
        return float(d / 2 + self.rand() * d / 2)


def _header(headers: dict[str, str], name: str) -> str | None:
    for k, v in headers.items():
        if k.lower() == name:
            return str(v)
    return None


def retry_wait(status: int | None, message: str, headers: dict[str, str], attempt: int,
               policy: RetryPolicy, now_epoch: float | None = None) -> float | None:
    """How long to wait before retrying an idempotent request, or None: do not retry."""
    if status is None or status >= 500:
        return policy.backoff(attempt)
    if status not in (403, 429):
        return None
    ra = _header(headers, "retry-after")
    if ra is not None:
        try:
            return max(0.0, float(ra))
        except ValueError:
            return policy.backoff(attempt)
    if _header(headers, "x-ratelimit-remaining") == "0":
        reset = _header(headers, "x-ratelimit-reset")
        now = time.time() if now_epoch is None else now_epoch
        try:
            return max(0.0, float(reset or "") - now) + policy.rand()
        except ValueError:
            return policy.backoff(attempt)
    low = message.lower()
    if status == 429 or "secondary rate limit" in low or "abuse" in low:
        return max(policy.secondary_seconds, policy.backoff(attempt))
    return None  # a plain 403: permissions, not load


@dataclass
class Sent:
    method: str
    path: str
    status: int | None


class Client:
    """GitHub REST through PyGithub's requester (``retry=None``), with :class:`RetryPolicy`."""

    def __init__(self, token: str, api_url: str = "https://api.github.com",
                 policy: RetryPolicy | None = None, timeout: int = 30) -> None:
        from github import Auth, Github

        self.api_url = api_url.rstrip("/")
        self._token = token
        self.policy = policy or RetryPolicy.from_env()
        try:
            write_gap = float(os.environ.get("PRODGATE_WRITE_INTERVAL", "1.0"))
        except ValueError:
            write_gap = 1.0
        self._gh = Github(
            auth=Auth.Token(token) if token else None,
            base_url=self.api_url,
            timeout=timeout,
            user_agent="prodgate",
            per_page=PER_PAGE,
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=write_gap or None,
        )
        self._requester = self._gh.requester
        #: every request sent (retries included): method, path, final status
        self.sent: list[Sent] = []
        self._started = self.policy.clock()

    # -- plumbing -----------------------------------------------------------------------------
    def _clean(self, message: str) -> str:
        """GitHub's message made safe to print: the token never (an answer that echoes the
        request's headers), one line, no terminal or workflow-command tricks, length capped."""
        if self._token:
            message = message.replace(self._token, "***")
        message = _TOKEN_SHAPED.sub("***", message)  # any other token (the org-token input)
        message = "".join(ch if ch.isprintable() else " " for ch in message).replace("::", ": :")
        return message if len(message) <= 500 else message[:499] + "…"

    def _once(self, method: str, path: str, params: dict[str, Any] | None,
              body: Any) -> tuple[dict[str, str], Any]:
        from github import GithubException
        from requests import RequestException

        try:
            headers, data = self._requester.requestJsonAndCheck(method, path, parameters=params, input=body)
        except GithubException as exc:
            msg = ""
            if isinstance(exc.data, dict):
                msg = str(exc.data.get("message", ""))
            self.sent.append(Sent(method, path, exc.status))
            raise GitHubError(method, path, exc.status, self._clean(msg) or "request refused",
                              {str(k): str(v) for k, v in (exc.headers or {}).items()}) from None
        except RequestException as exc:
            self.sent.append(Sent(method, path, None))
            raise GitHubError(method, path, None, type(exc).__name__) from None
        self.sent.append(Sent(method, path, 200))
        return {str(k): str(v) for k, v in (headers or {}).items()}, data

    def request(self, method: str, path: str, params: dict[str, Any] | None = None,
                body: Any = None, *, idempotent: bool | None = None) -> tuple[dict[str, str], Any]:
        """Send one request; retry it per the policy when it is idempotent (GET/PATCH/PUT by
        default; never POST). Raises :class:`GitHubError`."""
        if idempotent is None:
            idempotent = method.upper() != "POST"
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._once(method, path, params, body)
            except GitHubError as exc:
                if not idempotent or attempt >= self.policy.max_attempts:
                    raise
                wait = retry_wait(exc.status, exc.message, exc.headers, attempt, self.policy)
                if wait is None:
                    raise
                left = self.policy.budget_seconds - (self.policy.clock() - self._started)
                if wait > left:
                    raise GitHubError(exc.method, exc.path, exc.status,
                                      f"{exc.message} (not retried: a wait of {wait:.0f}s exceeds the "
                                      f"{self.policy.budget_seconds:.0f}s retry budget)", exc.headers) from None
                log.info("GitHub %s %s answered %s; retrying in %.1fs", method, path, exc.status, wait)
                self.policy.sleep(wait)

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.request("GET", path, params)[1]

    def pages(self, path: str, params: dict[str, Any] | None = None, key: str | None = None,
              limit: int = 3000, whole: bool = False) -> Iterator[list[Any]]:
        """Yield the pages of a list endpoint (``per_page=100``), up to ``limit`` items, following
        GitHub's ``Link: rel="next"`` (no request for an empty last page). ``key`` names the list
        inside an object answer (``check_runs``, ``statuses``...). With ``whole``, a list that
        goes on past ``limit`` raises :class:`TooLong` instead of being cut there."""
        got = 0
        page = 1
        while True:
            if got >= limit:
                if whole:
                    raise TooLong(path, limit)
                return
            q = dict(params or {})
            q.update(per_page=PER_PAGE, page=page)
            headers, data = self.request("GET", path, q)
            items = data.get(key, []) if key and isinstance(data, dict) else data
            if not isinstance(items, list):
                return
            yield items
            got += len(items)
            link = _header(headers, "link")
            if link is not None:
                if 'rel="next"' not in link:
                    return
            elif len(items) < PER_PAGE:
                return
            if key and isinstance(data, dict) and isinstance(data.get("total_count"), int) \
                    and got >= int(data["total_count"]):
                return
            if not items:
                return
            page += 1

    def all(self, path: str, params: dict[str, Any] | None = None, key: str | None = None,
            limit: int = 3000, whole: bool = False) -> list[Any]:
        out: list[Any] = []
        for items in self.pages(path, params, key, limit, whole):
            out.extend(items)
        return out[:limit]

    @property
    def count(self) -> int:
        return len(self.sent)


# -- evidence ---------------------------------------------------------------------------------
#: the GitHub API lists at most this many files of a pull request
MAX_API_FILES = 3000


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _login(obj: Any) -> str:
    return str(obj.get("login", "")) if isinstance(obj, dict) else ""


def pr_files(client: Client, owner: str, repo: str, number: int) -> tuple[tuple[str, ...], dict[str, str]]:
    """Every file of the PR through the API (≤ 3,000): paths (renamed: both names) and statuses."""
    paths: list[str] = []
    status: dict[str, str] = {}
    for f in client.all(f"/repos/{owner}/{repo}/pulls/{number}/files", limit=MAX_API_FILES):
        name = str(f.get("filename", ""))
        if not name:
            continue
        st = str(f.get("status", "modified"))
        paths.append(name)
        status[name] = st
        prev = f.get("previous_filename")
        if prev:
            paths.append(str(prev))
            status.setdefault(str(prev), "removed" if st == "renamed" else st)
    return tuple(dict.fromkeys(paths)), status


def pr_evidence(data: dict[str, Any], files: tuple[str, ...] = (), file_status: dict[str, str] | None = None,
                source: str = "api") -> PullRequestEvidence:
    head = data.get("head") or {}
    base = data.get("base") or {}
    return PullRequestEvidence(
        number=int(data["number"]) if isinstance(data.get("number"), int) else None,
        author=_login(data.get("user")),
        head_sha=str(head.get("sha", "")),
        base_sha=str(base["sha"]) if base.get("sha") else None,
        base_ref=str(base["ref"]) if base.get("ref") else None,
        title=str(data.get("title") or ""),
        labels=tuple(str(lb.get("name", "")) for lb in data.get("labels") or [] if isinstance(lb, dict)),
        changed_files=files,
        file_status=dict(file_status or {}),
        files_source=source,
    )


def _is_bot(user: Any) -> bool:
    if not isinstance(user, dict):
        return False
    return str(user.get("type", "")).lower() == "bot" or str(user.get("login", "")).lower().endswith("[bot]")


def reviews(client: Client, owner: str, repo: str, number: int) -> tuple[Review, ...]:
    out = []
    for r in client.all(f"/repos/{owner}/{repo}/pulls/{number}/reviews", whole=True):
        out.append(Review(_login(r.get("user")), str(r.get("state", "")), str(r.get("commit_id") or ""),
                          _time(r.get("submitted_at")), str(r.get("author_association") or "").upper(),
                          _is_bot(r.get("user"))))
    return tuple(out)


#: the permissions of the collaborator-permission API that give write access
WRITE_PERMISSIONS = frozenset({"admin", "maintain", "write"})


def has_write(client: Client, owner: str, repo: str, user: str) -> bool:
    """Does ``user`` have write access to the repository (collaborator permission API)? A user
    who is not a collaborator (404) has not."""
    from urllib.parse import quote

    try:
        data = client.get(f"/repos/{owner}/{repo}/collaborators/{quote(user, safe='')}/permission")
    except GitHubError as exc:
        if exc.status == 404:
            return False
        raise
    perm = str((data or {}).get("permission", "")) if isinstance(data, dict) else ""
    role = str((data or {}).get("role_name", "")) if isinstance(data, dict) else ""
    return perm in WRITE_PERMISSIONS or role in WRITE_PERMISSIONS


def check_runs(client: Client, owner: str, repo: str, sha: str) -> tuple[CheckRun, ...]:
    out = []
    for c in client.all(f"/repos/{owner}/{repo}/commits/{sha}/check-runs", key="check_runs", whole=True):
        output = c.get("output") or {}
        suite = c.get("check_suite") or {}
        out.append(CheckRun(
            name=str(c.get("name", "")),
            status=str(c.get("status", "")),
            conclusion=str(c["conclusion"]) if c.get("conclusion") else None,
            url=str(c.get("html_url") or c.get("details_url") or ""),
            app=str((c.get("app") or {}).get("slug", "")),
            id=int(c["id"]) if isinstance(c.get("id"), int) else None,
            annotations_count=int(output.get("annotations_count") or 0),
            suite_id=int(suite["id"]) if isinstance(suite, dict) and isinstance(suite.get("id"), int) else None,
            external_id=str(c.get("external_id") or ""),
            started_at=_time(c.get("started_at")),
        ))
    return tuple(out)


def statuses(client: Client, owner: str, repo: str, sha: str) -> tuple[CommitStatus, ...]:
    """The combined status (the latest status of each context)."""
    out = []
    for s in client.all(f"/repos/{owner}/{repo}/commits/{sha}/status", key="statuses", whole=True):
        out.append(CommitStatus(str(s.get("context", "")), str(s.get("state", "")), str(s.get("target_url") or ""),
                                int(s["id"]) if isinstance(s.get("id"), int) else None,
                                _time(s.get("updated_at") or s.get("created_at"))))
    return tuple(out)


def workflow_suites(client: Client, owner: str, repo: str, run_id: str) -> frozenset[int]:
    """The check suites of the workflow run ``run_id`` (the one executing the gate) and of its
    workflow's other runs on the same commit (earlier events on one PR head: opened, labeled,
    review...). Each Actions workflow run is one check suite, and each of its jobs a check run."""
    run = client.get(f"/repos/{owner}/{repo}/actions/runs/{int(run_id)}")
    if not isinstance(run, dict):
        return frozenset()
    suites = {int(run["check_suite_id"])} if isinstance(run.get("check_suite_id"), int) else set()
    wf, sha = run.get("workflow_id"), run.get("head_sha")
    if isinstance(wf, int) and isinstance(sha, str) and sha:
        for w in client.all(f"/repos/{owner}/{repo}/actions/workflows/{wf}/runs", {"head_sha": sha},
                            key="workflow_runs", limit=300):
            if isinstance(w, dict) and isinstance(w.get("check_suite_id"), int):
                suites.add(int(w["check_suite_id"]))
    return frozenset(suites)


def _newest_status(client: Client, owner: str, repo: str, did: int) -> tuple[str | None, dt.datetime | None]:
    """The newest status of a deployment, read across every page and chosen by its time (then
    its id): GitHub does not document the order of the list."""
    best: tuple[dt.datetime, int] | None = None
    state: str | None = None
    at: dt.datetime | None = None
    for st in client.all(f"/repos/{owner}/{repo}/deployments/{did}/statuses", limit=1000):
        if not isinstance(st, dict):
            continue
        t = _time(st.get("created_at")) or dt.datetime.fromtimestamp(0, dt.UTC)
        key = (t, int(st["id"]) if isinstance(st.get("id"), int) else 0)
        if best is None or key > best:
            best, state, at = key, str(st.get("state", "")) or None, _time(st.get("created_at"))
    return state, at


#: deployments newer than the judged commit's whose status is read ("still the live one")
NEWER_READ = 10


def deployments(client: Client, owner: str, repo: str, environment: str, sha: str | None = None,
                newest: int = 300) -> tuple[Deployment, ...]:
    """The deployments of an environment, newest first (by creation time, then id: the order of
    GitHub's list is not relied on), paginated: the environment's newest ``newest`` and every
    deployment of ``sha`` (read with the ``sha`` filter). The newest status is read for the
    newest deployment, the newest one of ``sha`` and up to :data:`NEWER_READ` deployments
    created after it (what replaced it)."""
    path = f"/repos/{owner}/{repo}/deployments"
    raw: dict[int, dict[str, Any]] = {}
    for d in client.all(path, {"environment": environment}, limit=newest):
        if isinstance(d, dict) and isinstance(d.get("id"), int):
            raw[int(d["id"])] = d
    if sha:
        for d in client.all(path, {"environment": environment, "sha": sha}, limit=newest):
            if isinstance(d, dict) and isinstance(d.get("id"), int):
                raw[int(d["id"])] = d
    epoch = dt.datetime.fromtimestamp(0, dt.UTC)
    ordered = sorted(raw.values(), key=lambda d: (_time(d.get("created_at")) or epoch, int(d["id"])), reverse=True)
    wanted: set[int] = set()
    if ordered:
        wanted.add(int(ordered[0]["id"]))
    if sha:
        for i, d in enumerate(ordered):
            if d.get("sha") == sha:
                wanted.add(int(d["id"]))
                wanted.update(int(n["id"]) for n in ordered[max(0, i - NEWER_READ) : i])
                break
    out = []
    for d in ordered:
        did = int(d["id"])
        state = state_at = None
        if did in wanted:
            state, state_at = _newest_status(client, owner, repo, did)
        created = _time(d.get("created_at")) or epoch
        out.append(Deployment(did, str(d.get("environment", environment)), str(d.get("sha", "")), created,
                              state, state_at, str(d.get("url") or ""), did in wanted))
    return tuple(out)


def team_members(client: Client, org: str, team: str) -> frozenset[str] | None:
    """Members of ``org/team``, or None when GitHub refuses the lookup (403/404: the token
    cannot read the organisation's teams)."""
    try:
        return frozenset(_login(m) for m in client.all(f"/orgs/{org}/teams/{team}/members"))
    except GitHubError as exc:
        if exc.status in (401, 403, 404):
            return None
        raise


def commit_pulls(client: Client, owner: str, repo: str, sha: str) -> list[dict[str, Any]]:
    """The pull requests associated with a commit (the PR that brought it first: merged ones)."""
    data = client.get(f"/repos/{owner}/{repo}/commits/{sha}/pulls", {"per_page": 100})
    if not isinstance(data, list):
        return []
    merged = [p for p in data if p.get("merge_commit_sha") == sha]
    rest = [p for p in data if p not in merged and p.get("merged_at")]
    return merged + rest + [p for p in data if p not in merged and p not in rest]


def file_at(client: Client, owner: str, repo: str, path: str, ref: str) -> str | None:
    """A file's text at ``ref`` through the contents API; None when absent."""
    import base64

    try:
        data = client.get(f"/repos/{owner}/{repo}/contents/{path}", {"ref": ref})
    except GitHubError as exc:
        if exc.status == 404:
            return None
        raise
    if not isinstance(data, dict) or data.get("type") != "file":
        return None
    content = data.get("content")
    if not isinstance(content, str):
        return None
    return base64.b64decode(content).decode("utf-8", "replace")


def folders_at(client: Client, owner: str, repo: str, path: str, ref: str) -> list[str]:
    """The names of the folders directly in ``path`` at ``ref`` through the contents API (one
    request); none when there is no such folder."""
    try:
        data: Any = client.get(f"/repos/{owner}/{repo}/contents/{path}", {"ref": ref})
    except GitHubError as exc:
        if exc.status == 404:
            return []
        raise
    if not isinstance(data, list):
        return []
    return [e["name"] for e in data if isinstance(e, dict) and e.get("type") == "dir" and isinstance(e.get("name"), str)]
