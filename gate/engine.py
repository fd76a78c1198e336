"""Evaluate services against the catalog: run each check, then apply waivers and advisory."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, TypeVar

from gate import catalog, countersign
from gate.context import ChangeCtx, Ctx, RunInfo
from gate.model import (
    NOT_SELECTED,
    Finding,
    ItemResult,
    Level,
    Report,
    Result,
    ServiceReport,
    Status,
    Waiver,
    skipped,
    unverified,
)
from gate.readiness import covers, expiry_warning, waiver_ends, waiver_problem, waivers
from gate.services import Service
from gate.workspace import SourceProblem

C = TypeVar("C", Ctx, ChangeCtx)



def check_of(item: catalog.Item, only: frozenset[str] | None = None) -> Callable[[Any], Result]:
    """The check function of ``item``: from :mod:`gate.registry` (which imports every check), or,
    for a run restricted with ``--only`` that has not loaded the registry, from the item's module
    alone, so that such a run imports only the checks it runs and the parsers they use."""
    import importlib
    import sys

    if only is None or "gate.registry" in sys.modules:
        from gate.registry import CHANGE_CHECKS, SERVICE_CHECKS

        if item.id in SERVICE_CHECKS:
            return SERVICE_CHECKS[item.id]
        return CHANGE_CHECKS[item.id]
    fn: Callable[[Any], Result] = importlib.import_module(item.module).check
    return fn


def _run(fn: Callable[[C], Result], ctx: C, item_id: str) -> Result:
    """Run one check; a file problem fails the item at that file, a crash fails it closed."""
    try:
        return fn(ctx)
    except SourceProblem as exc:
        return Result(Status.FAIL, (exc.finding,), "a file it needs could not be used")
    except Exception as exc:
        print(f"prodgate: internal error in {item_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return Result(
            Status.FAIL,
            (Finding(f"prodgate could not evaluate {item_id} (internal error: {type(exc).__name__}); "
                     "the item fails closed — please report this", level=Level.FAILURE),),
            "internal error",
        )


def not_evaluable(problem: Finding, reporter: str) -> Result:
    """An item that needs the service.yaml another item already reports as broken: the problem is
    reported once (by ``reporter``); this item says it could not be judged."""
    where = f"{problem.path}:{problem.line}" if problem.line else str(problem.path)
    return unverified(f"not evaluable: {where} cannot be read, see {reporter}")


def _apply_waiver(
    res: Result, item_id: str, ws_list: list[Waiver], now: dt.datetime, manifest: str, warn_days: int = 14,
    max_days: int | None = None,
) -> tuple[Result, Waiver | None]:
    """Turn ``fail`` into ``waived`` when an unexpired waiver covers every finding.

    An expired or invalid waiver changes nothing and is reported beside the real findings; a
    waiver in use that expires within ``warn_days`` adds a warning at its line, and its expiry
    is a boundary of the result (``valid_until``).
    """
    mine = [w for w in ws_list if w.item == item_id]
    if not mine:
        return res, None
    today = now.date()
    notes: list[Finding] = []
    valid: list[Waiver] = []
    for w in mine:
        problem = waiver_problem(w, today, max_days)
        if problem is None:
            valid.append(w)
        else:
            notes.append(Finding(problem, manifest, w.line, w.line, Level.WARNING if res.status != Status.FAIL else Level.FAILURE))
    if res.status != Status.FAIL or not valid:
        return replace(res, findings=res.findings + tuple(notes)), None
    for w in valid:
        soon = expiry_warning(w, today, warn_days)
        if soon is not None:
            notes.append(Finding(soon, manifest, w.line, w.line, Level.WARNING))
        res = res.until(waiver_ends(w, now.tzinfo or dt.UTC), f"the waiver of {item_id} (expires {w.expires}) ends")
    uncovered = [f for f in res.findings if not any(covers(w, f) for w in valid)]
    if uncovered:
        covered = [
            Finding(f"waived: {f.message}", f.path, f.line, f.end_line, Level.NOTICE, f.target)
            for f in res.findings if f not in uncovered
        ]
        return replace(res, findings=tuple(uncovered) + tuple(covered) + tuple(notes)), None
    w = valid[0]
    demoted = tuple(Finding(f.message, f.path, f.line, f.end_line, Level.NOTICE, f.target) for f in res.findings)
    reason = f"waived by {w.approved_by} until {w.expires}: {w.reason}"
    return replace(res, status=Status.WAIVED, findings=demoted + tuple(notes), reason=reason), w


def _finish(item: catalog.Item, res: Result, advisory: frozenset[str], waiver: Waiver | None,
            service: str = "") -> ItemResult:
    status = res.status
    findings = res.findings
    if status == Status.FAIL and item.id in advisory:
        status = Status.WARN
        findings = tuple(Finding(f.message, f.path, f.line, f.end_line, Level.WARNING, f.target) for f in findings)
    return ItemResult(item.id, item.section, item.title, status, findings, res.reason, waiver,
                      replace(res.changes_at, item=item.id, service=service) if res.changes_at else None)


def evaluate_service(run: RunInfo, svc: Service, only: frozenset[str] | None = None) -> ServiceReport:
    ctx = Ctx(run, svc)
    manifest_problem: Finding | None = None
    try:
        ws_list = waivers(ctx.manifest)
    except SourceProblem as exc:
        ws_list = []
        manifest_problem = exc.finding
    max_days = run.config.waivers.max_days
    warn_days = run.config.expiry_warning_days
    # pr mode: a waiver new or changed in the PR counts once the person it names approves it
    held = countersign.held_waivers(run, svc.manifest_path, ws_list)

    def apply(res: Result, item_id: str, trusted: list[Waiver]) -> tuple[Result, Waiver | None]:
        return _apply_waiver(res, item_id, trusted, run.now, svc.manifest_path, warn_days, max_days)

    results: list[ItemResult] = []
    reporter: ItemResult | None = None  # the item that reports a broken service.yaml (once)
    for item in catalog.SERVICE_ITEMS:
        if only is not None and item.id not in only:
            res = skipped(NOT_SELECTED)
        else:
            res = _run(check_of(item, only), ctx, item.id)
        if (manifest_problem is not None and res.status == Status.FAIL and set(res.findings) == {manifest_problem}
                and reporter is not None and reporter.status == Status.FAIL):
            res = not_evaluable(manifest_problem, reporter.id)
        res, waiver = countersign.apply_waivers(res, item.id, ws_list, held, svc.manifest_path, apply)
        results.append(_finish(item, res, run.config.advisory, waiver, svc.name))
        # the reporter must be an item a PR blocks on: a promotion-time one does not, and the items
        # after it would then be `unverified` and block nothing
        if reporter is None and not item.promotion_time and manifest_problem in results[-1].findings:
            reporter = results[-1]
    status = owner = ""
    tier: int | None = None
    try:
        status = ctx.spec_str("status") or ""
        owner = ctx.spec_str("owner") or ""
        t = ctx.spec("tier")
        tier = t if isinstance(t, int) and not isinstance(t, bool) else None
    except SourceProblem:
        pass
    return ServiceReport(svc.name, svc.dir, tuple(results), status, owner, tier)


def evaluate_change(run: RunInfo, only: frozenset[str] | None = None) -> tuple[ItemResult, ...]:
    ctx = ChangeCtx(run)
    out = []
    for item in catalog.CHANGE_ITEMS:
        if only is not None and item.id not in only:
            res = skipped(NOT_SELECTED)
        else:
            res = _run(check_of(item, only), ctx, item.id)
        out.append(_finish(item, res, run.config.advisory, None))
    return tuple(out)


def evaluate(
    run: RunInfo,
    services: Iterable[Service],
    only: frozenset[str] | None = None,
    notes: tuple[str, ...] = (),
    on_service: Callable[[Service], None] | None = None,
) -> Report:
    import gc

    reports = []
    try:
        for svc in services:
            if on_service is not None:
                on_service(svc)
            reports.append(evaluate_service(run, svc, only))
            # what the run keeps (parsed sources, reports) need not be traversed again by every
            # later full collection: without this, collections cost grows with the repository
            # and a run with services × collections turns quadratic
            gc.freeze()
    finally:
        gc.unfreeze()  # collectable again once the run is over
    return Report(run.mode, run.now, evaluate_change(run, only), tuple(reports), notes=notes, strict=run.strict,
                  docs_url=run.config.docs_url)
