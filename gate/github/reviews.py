"""Pure functions over the GitHub evidence records (``gate/github/evidence.py``): who approved, who
has write access, which deployments an environment has and when one went live.

Shared by the checks (through ``gate/checks/_github.py``), the second-person rule of waivers and
attestations (``gate/countersign.py``), the live providers (``gate/providers/live.py``) and the
Action. No I/O, no run: what they need of the configuration is passed as arguments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gate.github.evidence import Deployment, GitHubEvidence, PullRequestEvidence, Review


def evidence(github: object) -> GitHubEvidence | None:
    """The run's GitHub evidence (``RunInfo.github``), None when the run has none."""
    return github if isinstance(github, GitHubEvidence) else None


# -- reviews --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Standing:
    """A reviewer's standing review: the latest that is not COMMENTED (or PENDING)."""

    user: str
    review: Review

    @property
    def state(self) -> str:
        return self.review.state.upper()


def standing_reviews(reviews: tuple[Review, ...], author: str) -> list[Standing]:
    """Per reviewer other than the author, the latest non-comment review (``reviews`` are in
    GitHub's order, chronological). DISMISSED reviews are returned too: they count as
    nothing, and callers skip them."""
    latest: dict[str, Review] = {}
    names: dict[str, str] = {}
    for r in reviews:
        state = r.state.upper()
        if state in ("COMMENTED", "PENDING") or not r.user:
            continue
        key = r.user.lower()
        if key == author.lower():
            continue
        latest[key] = r
        names[key] = r.user
    return [Standing(names[k], latest[k]) for k in latest]


#: review author associations that carry write access (GitHub counts only such reviews for
#: required approvals); any other association is checked with the collaborator permission API
WRITE_ASSOCIATIONS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})


@dataclass
class Approvals:
    """The PR's standing reviews, sorted by what they count for."""

    #: approvals that count: a writer's, on the commit under review
    good: list[Standing]
    #: approvals of an older commit, or of a commit GitHub no longer knows (``commit_id`` null)
    stale: list[Standing]
    #: outstanding change requests
    changes: list[Standing]
    #: approvals that never count: by a bot, or by a user without write access
    ignored: list[tuple[Standing, str]]


def writes(ev: GitHubEvidence | None, r: Review) -> bool | None:
    """Does the reviewer have write access? None when it could not be read."""
    if r.association.upper() in WRITE_ASSOCIATIONS:
        return True
    if ev is None:
        return None
    return ev.writers.get(r.user.lower())


def approvals(ev: GitHubEvidence | None, pr: PullRequestEvidence, reviews: tuple[Review, ...],
              dismiss_stale: bool) -> Approvals:
    """The counted approvals, stale approvals, outstanding change requests and ignored approvals
    of the PR. An approval counts only from a user with write access other than the author and
    not a bot, given on the commit under review (``PullRequestEvidence.review_sha``: the PR's
    head, also in a merge queue; with ``dismiss_stale``, config ``approval.dismiss_stale``); a
    review whose ``commit_id`` is null is stale."""
    out = Approvals([], [], [], [])
    target = pr.review_sha
    for s in standing_reviews(reviews, pr.author):
        if s.state == "APPROVED":
            if s.review.bot:
                out.ignored.append((s, "a bot's approval does not count"))
                continue
            w = writes(ev, s.review)
            if w is not True:
                why = ("has no write access to the repository" if w is False else
                       "could not be checked for write access (collaborator permission API)")
                out.ignored.append((s, f"{s.user} {why}: the approval does not count"))
                continue
            if not s.review.commit_id or (dismiss_stale and target and s.review.commit_id != target):
                out.stale.append(s)
            else:
                out.good.append(s)
        elif s.state == "CHANGES_REQUESTED":
            out.changes.append(s)
    return out


# -- deployments -----------------------------------------------------------------------------------
def deployments(ev: GitHubEvidence, env: str) -> tuple[Deployment, ...] | None:
    """Deployments of ``env``, newest first; None when they were not read in this run."""
    return ev.deployments.get(env)


def since(d: Deployment) -> dt.datetime:
    """When the deployment went live: its success status's time, else its creation."""
    return d.state_at or d.created_at
