"""The report model shared by every output: statuses, findings, item results, services, report.

Everything here is immutable; renderers are functions of a :class:`Report`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


class Status(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    PENDING = "pending"
    UNVERIFIED = "unverified"
    MANUAL = "manual"
    WAIVED = "waived"
    SKIP = "skip"

    def __str__(self) -> str:
        return self.value


#: statuses that keep a service from being ready (strict definition)
NOT_READY: frozenset[Status] = frozenset(
    {Status.FAIL, Status.PENDING, Status.UNVERIFIED, Status.MANUAL}
)
#: statuses that block the exit code outside ``--strict``/``promote``
BLOCKING: frozenset[Status] = frozenset({Status.FAIL, Status.PENDING, Status.MANUAL})
#: the reason of an item a run restricted with ``--only`` left out (status ``skip``); such an
#: item is not proven, so a service with one is never ``ready``
NOT_SELECTED = "not selected"


class Level(enum.StrEnum):
    FAILURE = "failure"
    WARNING = "warning"
    NOTICE = "notice"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Finding:
    """One concrete reason: what is wrong, where (repo-relative POSIX path, 1-based lines)."""

    message: str
    path: str | None = None
    line: int | None = None
    end_line: int | None = None
    level: Level = Level.FAILURE
    #: what a waiver's ``targets`` may name to cover this finding (a table name, say)
    target: str | None = None
    #: the stable id of the rule of the item that found it (``index-not-concurrent``...), if any
    rule: str | None = None

    def to_json(self) -> dict[str, Any]:
        # lines count from 1: a line below it (a position the gate could not place) is no line
        line = self.line if self.line is not None and self.line >= 1 else None
        end = self.end_line if self.end_line is not None and self.end_line >= 1 else line
        out: dict[str, Any] = {
            "message": self.message,
            "path": self.path,
            "line": line,
            "end_line": end if line is not None else None,
            "level": self.level.value,
        }
        if self.rule is not None:
            out["rule"] = self.rule
        return out


@dataclass(frozen=True)
class Boundary:
    """An instant at which the clock alone changes an item's status: a freeze window opens or
    closes, a soak completes, a waiver or an attestation expires. The earliest one ahead of the
    run is the report's ``valid_until`` (see :mod:`gate.validity`)."""

    at: datetime  # timezone-aware
    why: str  # "the Weekend freeze starts"
    tz: str = "UTC"  # the IANA zone it reads best in
    item: str = ""  # filled in by the engine
    service: str = ""

    @property
    def who(self) -> str:
        """``service: item: `` (or ``item: ``, or nothing): whose boundary it is, before ``why``."""
        if not self.item:
            return ""
        return f"{self.service}: {self.item}: " if self.service else f"{self.item}: "

    def to_json(self) -> dict[str, Any]:
        """The report's top-level ``valid_until`` (ISO 8601 UTC) and why."""
        return {"valid_until": iso(self.at), "valid_until_reason": f"{self.who}{self.why}"}


def iso(at: datetime) -> str:
    """``2026-12-04T21:00:00Z``: an instant as the report and the check run's marker write it."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def earliest(*bounds: Boundary | None) -> Boundary | None:
    got = [b for b in bounds if b is not None]
    return min(got, key=lambda b: b.at) if got else None


@dataclass(frozen=True)
class Result:
    """What a check returns: a status, its findings, and what proved or explains it, and when
    the clock alone would change it (``changes_at``, folded by the engine into ``valid_until``)."""

    status: Status
    findings: tuple[Finding, ...] = ()
    reason: str = ""
    changes_at: Boundary | None = None

    def until(self, at: datetime | None, why: str, tz: str = "UTC") -> Result:
        """This result, valid until ``at`` at the latest (None: no new boundary)."""
        if at is None:
            return self
        from dataclasses import replace

        return replace(self, changes_at=earliest(self.changes_at, Boundary(at, why, tz)))


def passed(reason: str, *notes: Finding) -> Result:
    return Result(Status.PASS, notes, reason)


def failed(*findings: Finding, reason: str = "") -> Result:
    if not findings:
        raise ValueError("a failed item needs at least one finding")
    return Result(Status.FAIL, findings, reason)


def skipped(reason: str) -> Result:
    return Result(Status.SKIP, (), reason)


def unverified(reason: str, *findings: Finding) -> Result:
    return Result(Status.UNVERIFIED, findings, reason)


def pending(reason: str, *findings: Finding) -> Result:
    return Result(Status.PENDING, findings, reason)


def manual(reason: str, *findings: Finding) -> Result:
    return Result(Status.MANUAL, findings, reason)


def verdict(findings: list[Finding] | tuple[Finding, ...], ok: str) -> Result:
    """``fail`` with ``findings`` when there are any, else ``pass`` with the reason ``ok``."""
    if findings:
        return Result(Status.FAIL, tuple(findings))
    return Result(Status.PASS, (), ok)


class Unavailable(Exception):
    """Evidence a check needs is not there: the run has no GitHub evidence (plain ``check``, no
    token), or GitHub did not answer for a part of it. Raised by the evidence accessors
    (``gate/checks/_github.py``); the engine reports ``result`` as the item's result — ``unverified``
    with the reason, or, for evidence a blocking item cannot do without, a failure that says to
    re-run the gate (fail closed)."""

    def __init__(self, result: Result) -> None:
        super().__init__(result.reason)
        self.result = result


@dataclass(frozen=True)
class Waiver:
    item: str
    reason: str
    approved_by: str
    expires: str
    targets: tuple[str, ...] = ()
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "approved_by": self.approved_by,
            "expires": self.expires,
            "targets": list(self.targets),
        }


@dataclass(frozen=True)
class ItemResult:
    id: str
    section: str
    title: str
    status: Status
    findings: tuple[Finding, ...] = ()
    reason: str = ""
    waiver: Waiver | None = None
    changes_at: Boundary | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "section": self.section,
            "title": self.title,
            "status": self.status.value,
            "reason": self.reason,
            "findings": [f.to_json() for f in self.findings],
            "waiver": self.waiver.to_json() if self.waiver else None,
        }


def not_selected(it: ItemResult) -> bool:
    """Was the item left out by ``--only`` (reported ``skip`` "not selected")?"""
    return it.status == Status.SKIP and it.reason == NOT_SELECTED


def counts(items: tuple[ItemResult, ...] | list[ItemResult]) -> dict[str, int]:
    out = {s.value: 0 for s in Status}
    for it in items:
        out[it.status.value] += 1
    return out


@dataclass(frozen=True)
class ServiceReport:
    name: str
    path: str
    items: tuple[ItemResult, ...]
    status: str = ""  # service.yaml status (stable, beta, ...)
    owner: str = ""
    tier: int | None = None
    #: in ``pr`` mode: the service does not block the PR (it is not stable), with the reason
    advisory: str = ""

    @property
    def ready(self) -> bool:
        from gate.catalog import PROD_MONITOR

        return all(i.status not in NOT_READY and not not_selected(i) for i in self.items if i.id != PROD_MONITOR)

    def item(self, item_id: str) -> ItemResult:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "path": self.path,
            "ready": self.ready,
            "status": self.status,
            "owner": self.owner,
            "tier": self.tier,
            "counts": counts(self.items),
            "items": [i.to_json() for i in self.items],
        }
        if self.advisory:
            out["advisory"] = self.advisory
        return out


@dataclass(frozen=True)
class Report:
    mode: str
    generated_at: datetime
    items: tuple[ItemResult, ...]
    services: tuple[ServiceReport, ...]
    version: str = ""
    #: notices about the run itself (config changed in the PR, fallbacks taken, ...)
    notes: tuple[str, ...] = field(default=())
    #: ``--strict`` (or ``promote``): unverified items block; the headline says so
    strict: bool = False
    #: base URL of the item docs (``docs_url``): every output links ``<docs_url>/checks/<id>.md``
    docs_url: str = ""
    #: ``pr``: what the pull request changes could not all be known (the base commit's services
    #: unlisted, the changed files cut short): its change-level items block whatever services it
    #: touched, since a service it touches may be among those the gate could not see
    scope_unknown: bool = False
    #: ``promote --after-deploy``: ``promotion.prod-monitor`` blocks too; the headline says so
    after_deploy: bool = False

    @property
    def ready(self) -> bool:
        return all(s.ready for s in self.services) and all(
            i.status not in NOT_READY and not not_selected(i) for i in self.items
        )

    @property
    def valid_until(self) -> Boundary | None:
        """The earliest instant after the run at which the clock alone changes a status."""
        items = list(self.items) + [i for s in self.services for i in s.items]
        return earliest(*(i.changes_at for i in items if i.changes_at is not None and i.changes_at.at > self.generated_at))

    def to_json(self) -> dict[str, Any]:
        from gate import __version__

        b = self.valid_until
        return {
            "schema": "prodgate.report/v1",
            "tool": {"name": "prodgate", "version": self.version or __version__},
            "mode": self.mode,
            "generated_at": self.generated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "ready": self.ready,
            "notes": list(self.notes),
            **(b.to_json() if b is not None else {"valid_until": None, "valid_until_reason": None}),
            "items": [i.to_json() for i in self.items],
            "services": [s.to_json() for s in self.services],
        }


def blocks(report: Report, strict: bool = False) -> bool:
    """Does anything block (exit code 1)? ``promotion.prod-monitor`` aside; ``unverified``
    blocks only when strict (``--strict`` or ``promote``)."""
    from gate.catalog import PROD_MONITOR

    bad = NOT_READY if strict else BLOCKING
    items = list(report.items) + [i for s in report.services for i in s.items]
    return any(i.status in bad or (strict and not_selected(i)) for i in items if i.id != PROD_MONITOR)
