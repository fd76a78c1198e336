"""The code↔spec half of artifacts.openapi (gate.checks.artifacts._routes_parity)."""

from pathlib import Path

from gate.checks.artifacts._routes_parity import route_parity_findings
from gate.context import Ctx
from gate.sources.openapi import document as oa
from tests.checks.code_fixture import ADMIN_TS, OPENAPI, line_of, repo
from tests.helpers import make_run


def _findings(root: Path) -> list:
    run = make_run(root)
    svc = next(s for s in run.all_services if s.name == "payments")
    ctx = Ctx(run, svc)
    path = oa.spec_path(ctx.ws, svc.dir, ctx.manifest)
    return route_parity_findings(ctx, oa.operations(ctx.ws, path))


def test_every_route_matches_an_operation(tmp_path: Path) -> None:
    assert _findings(repo(tmp_path)) == []


def test_route_missing_from_spec_and_operation_without_route(tmp_path: Path) -> None:
    spec = OPENAPI.replace("  /admin/stats:\n    get: {description: Stats, responses: {\"200\": {description: ok}}}\n", "")
    spec = spec.replace("paths:\n", "paths:\n  /payments/{id}/refunds:\n    post: {description: Refund, responses: {\"201\": {description: ok}}}\n")
    fs = _findings(repo(tmp_path, openapi=spec))
    got = {(f.path, f.line, f.message.split(":")[0]) for f in fs}
    assert ("services/payments/src/routes/admin.ts", line_of(ADMIN_TS, "admin.get("),
            "GET /admin/stats is not in services/payments/openapi.yaml") in got
    assert ("services/payments/openapi.yaml", line_of(spec, "    post: {description: Refund"),
            "POST /payments/{id}/refunds is in the spec but no route in src/ serves it") in got
    assert len(fs) == 2


def test_a_trailing_slash_is_another_path(tmp_path: Path) -> None:
    """Hono routes strictly by default: ``/admin/stats/`` is a 404 where ``/admin/stats`` is
    served, so a spec path with the slash names an operation no route serves."""
    spec = OPENAPI.replace("  /admin/stats:\n", "  /admin/stats/:\n")
    assert spec != OPENAPI
    fs = _findings(repo(tmp_path, openapi=spec))
    got = {(f.path, f.line, f.message.split(":")[0]) for f in fs}
    assert got == {
        ("services/payments/src/routes/admin.ts", line_of(ADMIN_TS, "admin.get("),
         "GET /admin/stats is not in services/payments/openapi.yaml"),
        ("services/payments/openapi.yaml", line_of(spec, "  /admin/stats/:") + 1,
         "GET /admin/stats/ is in the spec but no route in src/ serves it"),
    }
