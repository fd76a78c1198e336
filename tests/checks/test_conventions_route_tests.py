from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import ADMIN_TS, TESTS_TS, line_of, run


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "conventions.route-tests")
    assert r.status == Status.PASS, r.findings


def test_missing_test_for_mounted_route_fails_at_route(tmp_path: Path) -> None:
    tests = TESTS_TS.replace('  await app.request("/admin/stats");\n', "")
    r = run(tmp_path, "conventions.route-tests", tests=tests)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.path.endswith("routes/admin.ts") and f.line == line_of(ADMIN_TS, "admin.get(")
    assert 'app.request("/admin/stats", { method: "GET" })' in f.message


def test_method_must_match_and_supertest_style_counts(tmp_path: Path) -> None:
    tests = TESTS_TS.replace('await app.request("/payments", { method: "POST" });',
                             'await app.request("/payments");')
    r = run(tmp_path, "conventions.route-tests", tests=tests)
    assert r.status == Status.FAIL
    assert "POST /payments has no integration test" in r.findings[0].message
    tests2 = TESTS_TS.replace('await app.request("/payments", { method: "POST" });',
                              'await request(app).post("/payments?x=1");')
    r2 = run(tmp_path / "b", "conventions.route-tests", tests=tests2)
    assert r2.status == Status.PASS, r2.findings
