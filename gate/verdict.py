"""Which results block, per mode.

- ``pr`` (see the spec, "When a pull request is blocked"): promotion-time items never block a
  PR; a service marked advisory (not stable on the base nor on the head) never blocks; the
  change-level items block only when some touched service is blocking (or when what the PR
  touches could not all be known: `Report.scope_unknown`). Everything else blocks
  when it is ``fail``, ``pending`` or ``manual`` (``unverified`` too with ``--strict``).
- ``promote``: the service is judged strictly — anything not ``pass``/``waived``/``skip``/``warn``
  blocks — and ``promotion.prod-monitor`` only with ``--after-deploy``.
"""

from __future__ import annotations

from dataclasses import dataclass

from gate import catalog
from gate.model import BLOCKING, NOT_READY, ItemResult, Report, ServiceReport, Status, not_selected

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
            if it.id not in PROMOTION_TIME and (it.status in bad or (strict and not_selected(it))):
                out.append((s.name, it))
    if blocking or report.scope_unknown:
        out = [("", it) for it in report.items if it.status in bad or (strict and not_selected(it))] + out
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
    """``promote``: anything not pass/waived/skip/warn blocks; prod-monitor only after the deploy.
    An item left out with ``--only`` is not proven: it blocks too."""
    out: list[tuple[str, ItemResult]] = [("", it) for it in report.items if it.status in NOT_READY or not_selected(it)]
    for s in report.services:
        for it in s.items:
            if it.id == catalog.PROD_MONITOR and not after_deploy:
                continue
            if it.status in NOT_READY or not_selected(it):
                out.append((s.name, it))
    return out


def blocks_promote(report: Report, after_deploy: bool = False) -> bool:
    return bool(promote_blockers(report, after_deploy))


# -- the headline: one vocabulary for the text and Markdown reports, the check run title and the
# catalog. Its mark and words say what the exit code means: ✓ nothing blocks (exit 0), ✗ or …
# something blocks (exit 1). ``ready`` stays the strict definition: "ready as far as this run can
# see" is a ✓ for this run's exit code, never the report's ``ready``.
READY = "ready"
UNPROVEN = "ready as far as this run can see"
WAITING = "waiting"
NOT_READY_WORDS = "not ready"
#: what a run that cannot read GitHub or the live providers says about the items it left open
NEEDS_EVIDENCE = "GitHub/live evidence (`prodgate promote` judges them)"


@dataclass(frozen=True)
class Headline:
    mark: str  # ✓ ✗ …
    words: str  # READY, UNPROVEN, WAITING or NOT_READY_WORDS
    detail: str = ""

    @property
    def blocks(self) -> bool:
        return self.words in (WAITING, NOT_READY_WORDS)

    def __str__(self) -> str:
        return f"{self.mark} {self.words}" + (f" — {self.detail}" if self.detail else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _tally(items: list[ItemResult]) -> str:
    c: dict[str, int] = {}
    for it in items:
        key = "not selected" if not_selected(it) else it.status.value
        c[key] = c.get(key, 0) + 1
    order = ("fail", "manual", "pending", "unverified", "not selected")
    return ", ".join(f"{c[k]} {k}" for k in order if c.get(k))


def _open(items: list[ItemResult]) -> str:
    """The detail of a ✓ that is not proven: what this run could not see."""
    unverified = [i for i in items if i.status == Status.UNVERIFIED]
    skipped = [i for i in items if not_selected(i)]
    other = [i for i in items if i not in unverified and i not in skipped
             and not (i.id == catalog.PROD_MONITOR and i.status == Status.PENDING)]  # pending until the deploy
    parts = []
    if unverified:
        n = len(unverified)
        parts.append(f"{_plural(n, 'item')} {'needs' if n == 1 else 'need'} {NEEDS_EVIDENCE}")
    if skipped:
        parts.append(f"{len(skipped)} not selected (--only)")
    if other:
        parts.append(f"{_plural(len(other), 'item')} not blocking here ({_tally(other) or 'promotion-time'})")
    return "; ".join(parts)


def _headline(blockers: list[ItemResult], open_items: list[ItemResult], after_deploy: bool = False) -> Headline:
    if blockers:
        if all(it.status == Status.PENDING for it in blockers):
            return Headline("…", WAITING, f"{_tally(blockers)}: the verdict is not final yet")
        return Headline("✗", NOT_READY_WORDS, _tally(blockers))
    if any(_can_block(it, after_deploy) for it in open_items):
        return Headline("✓", UNPROVEN, _open(open_items))
    return Headline("✓", READY)


def _not_ready(it: ItemResult) -> bool:
    """Not proven: it blocks, or it is what "as far as this run can see" counts (prod-monitor too)."""
    return it.status in NOT_READY or not_selected(it)


def _can_block(it: ItemResult, after_deploy: bool = False) -> bool:
    return after_deploy or it.id != catalog.PROD_MONITOR  # judged after the deploy: never part of a verdict before it


def service_headline(s: ServiceReport, mode: str = "check", strict: bool = False, after_deploy: bool = False) -> Headline:
    """The verdict of one service in ``mode``: what blocks it (as the exit code counts) or, when
    nothing does, whether it is proven ready or only as far as this run can see."""
    bad = NOT_READY if strict or mode == "promote" else BLOCKING
    open_items = [it for it in s.items if _not_ready(it)]
    if mode == "pr":
        blockers = [] if s.advisory else [it for it in open_items if _can_block(it) and it.id not in PROMOTION_TIME
                                           and (it.status in bad or (strict and not_selected(it)))]
    else:
        after_deploy = after_deploy and mode == "promote"
        blockers = [it for it in open_items if _can_block(it, after_deploy)
                    and (it.status in bad or ((strict or mode == "promote") and not_selected(it)))]
    return _headline(blockers, [it for it in open_items if it not in blockers], after_deploy)


def report_headline(report: Report) -> Headline:
    """The verdict of the whole run, as its exit code counts it (see :func:`service_headline`)."""
    strict = report.strict or report.mode == "promote"
    after_deploy = report.after_deploy and report.mode == "promote"
    if report.mode == "pr":
        blockers = [it for _, it in pr_blockers(report, strict)]
    elif report.mode == "promote":  # what the exit code of `promote` counts, prod-monitor after the deploy
        blockers = [it for _, it in promote_blockers(report, after_deploy)]
    else:
        bad = NOT_READY if strict else BLOCKING
        blockers = [it for it in (*report.items, *(i for s in report.services for i in s.items))
                    if _can_block(it) and _not_ready(it) and (it.status in bad or (strict and not_selected(it)))]
    open_items = [it for it in (*report.items, *(i for s in report.services for i in s.items))
                  if _not_ready(it) and not any(it is b for b in blockers)]
    return _headline(blockers, open_items, after_deploy)
