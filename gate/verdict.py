"""Which results block, per mode.

- ``pr`` (see the spec, "When a pull request is blocked"): promotion-time items never block a
  PR; a service marked advisory (not stable on the base nor on the head) never blocks; the
  change-level items block only when some touched service is blocking. Everything else blocks
  when it is ``fail``, ``pending`` or ``manual`` (``unverified`` too with ``--strict``).
- ``promote``: the service is judged strictly — anything not ``pass``/``waived``/``skip``/``warn``
  blocks — and ``promotion.prod-monitor`` only with ``--after-deploy``.
"""

from __future__ import annotations

from gate import catalog
from gate.model import BLOCKING, NOT_READY, ItemResult, Report, ServiceReport, Status

#: reported on a pull request, judged only by ``promote``
PROMOTION_TIME: frozenset[str] = frozenset(i.id for i in catalog.ITEMS if i.promotion_time)


def blocking_service(s: ServiceReport) -> bool:
    """In ``pr`` mode: a service that is not advisory is blocking."""
    return not s.advisory


def pr_blockers(report: Report, strict: bool = False) -> list[tuple[str, ItemResult]]:
    """The items that block the pull request: (service name or "" for change-level, item)."""
    bad = NOT_READY if strict else BLOCKING
    out: list[tuple[str, ItemResult]] = []
    blocking = [s for s in report.services if blocking_service(s)]
    for s in blocking:
        for it in s.items:
            if it.id not in PROMOTION_TIME and it.status in bad:
                out.append((s.name, it))
    if blocking:
        out = [("", it) for it in report.items if it.status in bad] + out
    return out


def blocks_pr(report: Report, strict: bool = False) -> bool:
    """Does the pull request's check fail (or wait)? See :func:`pr_blockers`."""
    return bool(pr_blockers(report, strict))


def pr_state(report: Report, strict: bool = False) -> str:
    """``failure`` (something blocking is fail/manual, or unverified when strict),
    ``pending`` (only pending items block: the verdict is not final), or ``success``."""
    blockers = pr_blockers(report, strict)
    if not blockers:
        return "success"
    if all(it.status == Status.PENDING for _, it in blockers):
        return "pending"
    return "failure"


def promote_blockers(report: Report, after_deploy: bool = False) -> list[tuple[str, ItemResult]]:
    """``promote``: anything not pass/waived/skip/warn blocks; prod-monitor only after the deploy."""
    out: list[tuple[str, ItemResult]] = [("", it) for it in report.items if it.status in NOT_READY]
    for s in report.services:
        for it in s.items:
            if it.id == catalog.PROD_MONITOR and not after_deploy:
                continue
            if it.status in NOT_READY:
                out.append((s.name, it))
    return out


def blocks_promote(report: Report, after_deploy: bool = False) -> bool:
    return bool(promote_blockers(report, after_deploy))
