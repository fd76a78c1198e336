"""observability.sentry: Sentry.init reads its DSN from a declared and linked SST secret."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.infra_fixture import INDEX, INFRA, evaluate, line_of

ID = "observability.sentry"


def test_sentry_wired_passes_repo_half(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS, r.findings
    assert "PaymentsSentryDsn" in r.reason
    assert "not checked live" in r.reason


def test_dsn_through_a_const(tmp_path: Path) -> None:
    index = INDEX.replace("Sentry.init({\n  dsn: Resource.PaymentsSentryDsn.value,",
                          "const dsn = Resource.PaymentsSentryDsn.value;\nSentry.init({\n  dsn,")
    assert evaluate(tmp_path, ID, index=index).status == Status.PASS


def test_no_sentry_init(tmp_path: Path) -> None:
    index = 'import { Hono } from "hono";\nexport const app = new Hono();\n'
    r = evaluate(tmp_path, ID, index=index)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith("the service's code never calls Sentry.init")
    assert f.path == "services/payments/src/index.ts"


def test_dsn_literal_is_not_a_secret(tmp_path: Path) -> None:
    index = INDEX.replace("dsn: Resource.PaymentsSentryDsn.value,", 'dsn: "https://abc@sentry.io/1",')
    r = evaluate(tmp_path, ID, index=index)
    (f,) = r.findings
    assert f.message.startswith('Sentry.init dsn is "https://abc@sentry.io/1", not an SST secret')
    assert (f.path, f.line) == ("services/payments/src/index.ts", line_of(index, "dsn:"))


def test_dsn_secret_not_linked(tmp_path: Path) -> None:
    text = INFRA.replace("link: [sentryDsn, databaseUrl, stripeKey],", "link: [databaseUrl, stripeKey],")
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith("secret PaymentsSentryDsn is read in src/index.ts:6 but not linked to the service")
    assert (f.path, f.line) == ("services/payments/infra.ts", line_of(text, "link: ["))


def test_environment_missing_or_constant(tmp_path: Path) -> None:
    index = INDEX.replace("  environment: Resource.App.stage,\n", "")
    r = evaluate(tmp_path / "a", ID, index=index)
    (f,) = r.findings
    assert f.message.startswith("Sentry.init sets no environment")
    assert f.line == line_of(index, "Sentry.init(")
    index = INDEX.replace("environment: Resource.App.stage,", 'environment: "production",')
    r = evaluate(tmp_path / "b", ID, index=index)
    (f,) = r.findings
    assert f.message.startswith('Sentry.init environment is the constant "production"')
    assert f.line == line_of(index, "environment:")


def test_a_sentry_that_is_not_from_an_at_sentry_package_is_not_credited(tmp_path: Path) -> None:
    # "calls Sentry.init" means Sentry's init: a local look-alike or a global does not report anything
    for i, (imp, call) in enumerate((('import * as Sentry from "./fake-sentry";', "Sentry.init("),
                                     ("", "globalThis.Sentry.init("))):
        index = INDEX.replace('import * as Sentry from "@sentry/node";', imp).replace("Sentry.init(", call)
        r = evaluate(tmp_path / str(i), ID, index=index,
                     **{"services/payments/src/fake-sentry.ts": "export function init(o: unknown) {}\n"})
        assert r.status == Status.FAIL, call
        (f,) = r.findings
        assert f.message.startswith(f"{call}...) is not Sentry's init: `Sentry` there is not imported from an "
                                    "@sentry/* package"), f.message
        assert (f.path, f.line) == ("services/payments/src/index.ts", line_of(index, call))


def test_init_imported_by_name_counts(tmp_path: Path) -> None:
    index = INDEX.replace('import * as Sentry from "@sentry/node";', 'import { init as initSentry } from "@sentry/node";'
                          ).replace("Sentry.init(", "initSentry(")
    r = evaluate(tmp_path, ID, index=index)
    assert r.status == Status.PASS, r.findings


def test_enabled_false_fails_at_its_line(tmp_path: Path) -> None:
    index = INDEX.replace("  dsn: Resource.PaymentsSentryDsn.value,", "  dsn: Resource.PaymentsSentryDsn.value,\n  enabled: false,")
    r = evaluate(tmp_path, ID, index=index)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == "Sentry.init sets enabled: false: no stage reports to Sentry; remove it"
    assert (f.path, f.line) == ("services/payments/src/index.ts", line_of(index, "enabled: false"))


def test_sentry_re_exported_by_a_local_module_counts(tmp_path: Path) -> None:
    index = INDEX.replace('import * as Sentry from "@sentry/node";', 'import { Sentry } from "./sentry";')
    r = evaluate(tmp_path, ID, index=index, **{"services/payments/src/sentry.ts": 'export * as Sentry from "@sentry/node";\n'})
    assert r.status == Status.PASS, r.findings


def test_a_spread_after_the_dsn_may_override_it(tmp_path: Path) -> None:
    """JavaScript applies an object's entries in order: a spread after dsn may set it again."""
    index = INDEX.replace("  dsn: Resource.PaymentsSentryDsn.value,",
                          "  dsn: Resource.PaymentsSentryDsn.value,\n  ...overrides(),")
    assert index != INDEX
    r = evaluate(tmp_path, ID, index=index)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == ("Sentry.init options spread ...overrides() after dsn, which may override it and which the "
                         "gate cannot follow: put the spread first, or set dsn after it")
    assert (f.path, f.line) == ("services/payments/src/index.ts", line_of(index, "...overrides()"))
    # a constant spread that sets dsn again overrides it
    index = INDEX.replace("  dsn: Resource.PaymentsSentryDsn.value,",
                          "  dsn: Resource.PaymentsSentryDsn.value,\n  ...{ dsn: undefined },")
    r = evaluate(tmp_path / "b", ID, index=index)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == "Sentry.init's dsn is overridden by a later spread: set dsn: Resource.<Secret>.value after it"
    assert f.line == line_of(index, "...{ dsn: undefined }")
    # a spread before it is fine
    index = INDEX.replace("  dsn: Resource.PaymentsSentryDsn.value,",
                          "  ...overrides(),\n  dsn: Resource.PaymentsSentryDsn.value,")
    r = evaluate(tmp_path / "c", ID, index=index)
    assert r.status == Status.PASS, r.findings
