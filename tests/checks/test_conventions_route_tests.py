from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import ADMIN_TS, INDEX_TS, TESTS_TS, line_of, run


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


def test_a_request_with_a_trailing_slash_does_not_exercise_the_route(tmp_path: Path) -> None:
    """Hono routes strictly by default: ``/admin/stats/`` answers 404, it tests no route."""
    tests = TESTS_TS.replace('await app.request("/admin/stats");', 'await app.request("/admin/stats/");')
    assert tests != TESTS_TS
    r = run(tmp_path, "conventions.route-tests", tests=tests)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.path.endswith("routes/admin.ts") and f.line == line_of(ADMIN_TS, "admin.get(")
    assert "GET /admin/stats has no integration test" in f.message


def test_a_call_outside_the_focused_test_of_its_file_does_not_count(tmp_path: Path) -> None:
    """With an it.only in a file the runner runs that test alone: the others exercise nothing."""
    tests = TESTS_TS.replace('await app.request("/admin/stats");\n', "") + (
        '\ntest.only("focused", async () => {\n  await app.request("/healthz");\n});\n'
        'test("stats", async () => {\n  await app.request("/admin/stats");\n});\n')
    r = run(tmp_path, "conventions.route-tests", tests=tests)
    assert r.status == Status.FAIL
    msgs = [f.message for f in r.findings]
    stats = next(m for m in msgs if m.startswith("GET /admin/stats has no integration test"))
    assert f"is skipped by the focused test.only, line {line_of(tests, 'test.only(')} (the runner runs only the " \
           "focused tests of the file)" in stats
    (f,) = [f for f in r.findings if f.message == stats]
    assert f.path.endswith("routes/admin.ts") and f.line == line_of(ADMIN_TS, "admin.get(")


SKIPPED_TESTS = """
import { app } from "../../src/index";

test("routes", async () => {
  await app.request("/healthz");
  await app.request("/payments", { method: "POST" });
  await app.request("/cron/reconcile", { method: "POST" });
  await app.request("/records/7");
  await app.request("/admin/stats");
});

SKIP("reads a payment", async () => {
  await app.request(`/payments/${id}`, { method: "GET" });
});
"""


def test_a_call_in_a_skipped_test_does_not_count(tmp_path: Path) -> None:
    # "exercised by an integration test": a skipped (or todo) test exercises nothing
    for i, skip in enumerate(("it.skip", "test.todo", "xit", "describe.skip", "describe.skip.each([1])",
                              "it.concurrent.skip", "it.skipIf(process.env.CI)", "test.runIf(false)")):
        tests = SKIPPED_TESTS.replace("SKIP(", f"{skip}(")
        r = run(tmp_path / str(i), "conventions.route-tests", tests=tests)
        assert r.status == Status.FAIL, skip
        (f,) = r.findings
        assert f.line == line_of(INDEX_TS, 'app.get("/payments/:id"'), skip
        head = skip.split("(")[0]
        assert f.message.startswith(
            f"GET /payments/:id has no integration test (its test at services/payments/test/integration/"
            f"payments.test.ts:12 is skipped by {head}, line 11, and a skipped test exercises nothing: "
            "make it run)"), f.message


def test_a_call_in_a_running_variant_counts(tmp_path: Path) -> None:
    # (it.only runs too, but alone: the file's other tests then do not, see the focused-test test)
    for i, fn in enumerate(("it", "it.each([1])", "it.skipIf(false)", "test.runIf(true)", "describe.concurrent")):
        tests = SKIPPED_TESTS.replace("SKIP(", f"{fn}(")
        r = run(tmp_path / str(i), "conventions.route-tests", tests=tests)
        assert r.status == Status.PASS, (fn, r.findings)
