"""What the gate knows about the change under review, gathered once per run from GitHub.

The GitHub client (``gate/github/client.py``) fills these records; the checks only read them,
so every promotion check is a pure function of evidence and configuration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PullRequestEvidence:
    """The pull request (or the promoted commit's pull request) as the checks read it."""

    number: int | None
    author: str
    head_sha: str
    base_sha: str | None = None
    base_ref: str | None = None
    title: str = ""
    labels: tuple[str, ...] = ()
    #: repo-relative paths changed by the PR (renamed files: both names)
    changed_files: tuple[str, ...] = ()
    #: GitHub's status of each changed file: added, modified, removed, renamed, ...
    file_status: dict[str, str] = field(default_factory=dict)
    #: how the file list was obtained: "api", "git" (the API caps at 3,000 files), "event"
    files_source: str = "api"
    #: the commit reviews are judged against when it is not ``head_sha``: in a merge queue the
    #: group's commit is judged for CI, but approvals were given on the PR's own head
    reviewed_sha: str = ""
    #: the PR was merged (promote: only a PR merged into the default branch brought the commit)
    merged: bool = False

    @property
    def review_sha(self) -> str:
        return self.reviewed_sha or self.head_sha


@dataclass(frozen=True)
class Review:
    user: str
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
    commit_id: str
    submitted_at: dt.datetime | None = None
    #: GitHub's author_association of the review (OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE...)
    association: str = ""
    #: the reviewer is a bot (user.type "Bot", or a "[bot]" login)
    bot: bool = False


@dataclass(frozen=True)
class CheckRun:
    name: str
    status: str  # queued, in_progress, completed, ...
    conclusion: str | None  # success, failure, neutral, cancelled, skipped, timed_out, action_required, stale
    url: str = ""
    app: str = ""
    id: int | None = None
    #: annotations already attached to the run (the publisher never sends one twice)
    annotations_count: int = 0
    #: the check suite the run belongs to (an Actions workflow run is one suite)
    suite_id: int | None = None
    #: the ``external_id`` the creator gave the run (prodgate: its workflow run and attempt)
    external_id: str = ""
    started_at: dt.datetime | None = None


@dataclass(frozen=True)
class CommitStatus:
    context: str
    state: str  # error, failure, pending, success
    url: str = ""
    id: int | None = None
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class Deployment:
    id: int
    environment: str
    sha: str
    created_at: dt.datetime
    #: the latest deployment status: success, failure, error, inactive, in_progress, queued, pending
    state: str | None = None
    state_at: dt.datetime | None = None
    url: str = ""
    #: its status was read in this run (``state`` None then means: no status yet)
    status_read: bool = True


@dataclass(frozen=True)
class GitHubEvidence:
    """Everything read from GitHub for one run (a small constant number of requests)."""

    pr: PullRequestEvidence | None
    reviews: tuple[Review, ...] = ()
    check_runs: tuple[CheckRun, ...] = ()
    statuses: tuple[CommitStatus, ...] = ()
    #: deployments by environment name (newest first)
    deployments: dict[str, tuple[Deployment, ...]] = field(default_factory=dict)
    #: team slug ("org/team") → member logins; None when GitHub refused the lookup
    team_members: dict[str, frozenset[str] | None] = field(default_factory=dict)
    #: evidence that could not be fetched: what → why ("reviews" → "GitHub answered 502 ...")
    errors: dict[str, str] = field(default_factory=dict)
    #: the commit under evaluation: the PR head (pr), the promoted commit (promote)
    sha: str = ""
    #: files the configuration names (freeze calendars), read at the PR's base commit in pr mode
    #: (a PR cannot loosen its own policy): repo path → text, None when absent there. Checks
    #: read a path from here when present, else from the workspace.
    base_files: dict[str, str | None] = field(default_factory=dict)
    #: check runs and statuses of ``sha`` when it is not the PR's head (promote: the merged commit,
    #: where post-merge workflows such as the staging smoke test report); None when not read. When
    #: ``sha`` is the head, the checks read ``check_runs``/``statuses``; in ``promote``, when it is
    #: not, the head's never stand in for these (``gate.checks._github.promoted_commit_unread``)
    commit_check_runs: tuple[CheckRun, ...] | None = None
    commit_statuses: tuple[CommitStatus, ...] | None = None
    #: check suites of the workflow executing the gate (this run and the workflow's earlier runs on
    #: the same commit): their jobs — the gate's own job among them — are not CI evidence
    own_suites: frozenset[int] = frozenset()
    #: reviewer login (lower case) → has write access (collaborator permission API); read for the
    #: approvers whose review's author_association does not say so
    writers: dict[str, bool] = field(default_factory=dict)
