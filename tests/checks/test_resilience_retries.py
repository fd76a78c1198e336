from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import INDEX_TS, line_of, run


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "resilience.retries")
    assert r.status == Status.PASS, r.findings


def test_retry_without_jitter_fails_at_options(tmp_path: Path) -> None:
    src = INDEX_TS.replace('const retryOptions = { retries: 3, backoff: "exponential", jitter: true };',
                           'const retryOptions = { retries: 3, backoff: "exponential" };')
    r = run(tmp_path, "resilience.retries", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.line == line_of(src, "const retryOptions")
    assert "lack jitter: true" in f.message


def test_inline_options_and_missing_retry(tmp_path: Path) -> None:
    src = INDEX_TS.replace("retry(() => stripe.charges.create({ amount: 100 }), retryOptions)",
                           'retry(() => stripe.charges.create({ amount: 100 }), {\n      backoff: "linear",\n    })')
    r = run(tmp_path, "resilience.retries", index=src)
    assert r.status == Status.FAIL
    assert 'lack backoff: "exponential" and jitter: true' in r.findings[0].message
    assert r.findings[0].line == line_of(src, "retry(() => stripe")
    src2 = INDEX_TS.replace("retry(() => stripe.charges.create({ amount: 100 }), retryOptions)",
                            "stripe.charges.create({ amount: 100 })")
    r2 = run(tmp_path / "b", "resilience.retries", index=src2)
    assert r2.status == Status.FAIL
    assert "is inside breaker(...) but not retried" in r2.findings[0].message


def test_aliased_and_namespaced_retry_are_judged(tmp_path: Path) -> None:
    code = """
    import { retry as withRetry } from "@platform/resilience";
    import * as resilience from "@platform/resilience";
    export const a = () => withRetry(() => 1, { retries: 3 });
    export const b = () => resilience.retry(() => 1, { retries: 3, backoff: "exponential" });
    """
    src = "services/payments/src/jobs.ts"
    r = run(tmp_path, "resilience.retries", extra={src: code})
    assert r.status == Status.FAIL
    got = [(f.path, f.line, f.message) for f in r.findings]
    assert got == [
        (src, 3, 'withRetry(...) options lack backoff: "exponential" and jitter: true: set them'),
        (src, 4, "resilience.retry(...) options lack jitter: true: set it"),
    ]


def test_a_spread_after_backoff_and_jitter_fails_at_the_spread(tmp_path: Path) -> None:
    code = """
    import { retry } from "@platform/resilience";
    const overrides = { jitter: false };
    export const a = () => retry(() => 1, { ...overrides, backoff: "exponential", jitter: true });
    export const b = () => retry(() => 1, {
      backoff: "exponential",
      jitter: true,
      ...overrides,
    });
    """
    src = "services/payments/src/jobs.ts"
    r = run(tmp_path, "resilience.retries", extra={src: code})
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert (f.path, f.line) == (src, 7)
    assert f.message.startswith("retry(...) options spread overrides after backoff and jitter, which may override them")
