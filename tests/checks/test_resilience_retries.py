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
