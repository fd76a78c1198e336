"""Evaluate services against the catalog: run each check, then apply waivers and advisory."""

from __future__ import annotations

import datetime as dt
import gc
import importlib
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
    Unavailable,
    Waiver,
    skipped,
    unverified,
)
from gate.readiness import covers, expiry_warning, waiver_ends, waiver_problem, waivers
from gate.services import Service
from gate.workspace import SourceProblem

C = TypeVar("C", Ctx, ChangeCtx)


def check_of(item: catalog.Item) -> Callable[[Any], Result]:
    """The check function of ``item``: ``check`` of the module its catalog entry names
    (:attr:`gate.catalog.Item.module`), imported when the item first runs, so that a run
    restricted with ``--only`` imports only the checks it runs and the parsers they use.

    Raises what the import raises (a module that cannot be found, a syntax error, an exception
    at its top level) or :class:`AttributeError` when the module has no ``check``. A module whose
    import failed is not kept (Python drops it from ``sys.modules``), so it is imported afresh,
    and fails again, for each item and service that needs it."""
    fn: Callable[[Any], Result] = importlib.import_module(item.module).check
    return fn


def internal_error(item: catalog.Item, exc: BaseException, while_: str = "") -> Result:
    """``item`` failed closed: prodgate itself went wrong (``exc``) evaluating it; the error is
    also written to stderr. ``while_`` says what it was doing when that was not running the check."""
    where = f" {while_}" if while_ else ""
    print(f"prodgate: internal error in {item.id}{where}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return Result(
        Status.FAIL,
        (Finding(f"prodgate could not evaluate {item.id} (internal error: {type(exc).__name__}{where}); "
                 "the item fails closed — please report this", level=Level.FAILURE),),
        "internal error",
    )


def run_check(item: catalog.Item, ctx: C) -> Result:
    """Run the check of ``item`` with the cyclic garbage collector paused; missing evidence
    (:class:`Unavailable`) gives the result it carries, a file problem fails the item at that
    file, a crash fails it closed, and so does a check module that cannot be imported or has no
    ``check`` (that item only: the run goes on with the others).

    The pause: a check and the analyses it builds allocate many small, acyclic objects (freed by
    reference counting as usual) while a large model is alive, and the collector's repeated full
    passes over that model would make a check's time grow faster than the service. The previous
    state is restored afterwards."""
    try:
        fn = check_of(item)
    except Exception as exc:
        return internal_error(item, exc, f"loading its check module {item.module}")
    was = gc.isenabled()
    gc.disable()
    try:
        return fn(ctx)
    except Unavailable as exc:
        return exc.result
    except SourceProblem as exc:
        return Result(Status.FAIL, (exc.finding,), "a file it needs could not be used")
    except Exception as exc:
        return internal_error(item, exc)
    finally:
        if was:
            gc.enable()


def not_evaluable(problem: Finding, reporter: str) -> Result:
    """An item that needs the service.yaml another item already reports as broken: the problem is
    reported once (by ``reporter``); this item says it could not be judged."""
    where = f"{problem.path}:{problem.line}" if problem.line else str(problem.path)
    return unverified(f"not evaluable: {where} cannot be read, see {reporter}")


def _demoted(f: Finding, level: Level, message: str | None = None) -> Finding:
    """``f`` demoted to ``level`` (waived, or an advisory item's): the same finding, except that the
    copy does not name its rule (``Finding.rule``), as the reports have always shown it."""
    return replace(f, level=level, message=f.message if message is None else message, rule=None)


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
        covered = [_demoted(f, Level.NOTICE, f"waived: {f.message}") for f in res.findings if f not in uncovered]
        return replace(res, findings=tuple(uncovered) + tuple(covered) + tuple(notes)), None
    w = valid[0]
    demoted = tuple(_demoted(f, Level.NOTICE) for f in res.findings)
    reason = f"waived by {w.approved_by} until {w.expires}: {w.reason}"
    return replace(res, status=Status.WAIVED, findings=demoted + tuple(notes), reason=reason), w


def _finish(item: catalog.Item, res: Result, advisory: frozenset[str], waiver: Waiver | None,
            service: str = "") -> ItemResult:
    status = res.status
    findings = res.findings
    if status == Status.FAIL and item.id in advisory:
        status = Status.WARN
        findings = tuple(_demoted(f, Level.WARNING) for f in findings)
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
        res = skipped(NOT_SELECTED) if only is not None and item.id not in only else run_check(item, ctx)
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
        res = skipped(NOT_SELECTED) if only is not None and item.id not in only else run_check(item, ctx)
        out.append(_finish(item, res, run.config.advisory, None))
    return tuple(out)


def evaluate(
    run: RunInfo,
    services: Iterable[Service],
    only: frozenset[str] | None = None,
    notes: tuple[str, ...] = (),
    on_service: Callable[[Service], None] | None = None,
) -> Report:
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
