"""What the gate knows about the change under review, gathered once from GitHub (or git)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PullRequestEvidence:
    """The pull request (or the promoted commit's pull request) as the checks read it."""

    number: int | None
    author: str
    head_sha: str
    base_sha: str | None = None
    base_ref: str | None = None
    labels: tuple[str, ...] = ()
    #: repo-relative paths changed by the PR (added, modified, removed, renamed: both names)
    changed_files: tuple[str, ...] = ()
    #: statuses of changed files by path: added, modified, removed, renamed, ...
    file_status: dict[str, str] = field(default_factory=dict)
