"""deployment.secrets: every Resource.<X> the code reads is a declared and linked sst.Secret."""

from __future__ import annotations

from pathlib import Path

from gate.model import Level, Status
from tests.checks.infra_fixture import INFRA, evaluate, line_of

ID = "deployment.secrets"


def test_read_secrets_declared_and_linked_pass(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS, r.findings
    # Resource.App is SST's built-in; tests and stubs are not the service's code
    assert "(PaymentsDatabaseUrl, PaymentsSentryDsn, PaymentsStripeKey)" in r.reason
    assert "not checked live" in r.reason


def test_secret_read_but_not_linked(tmp_path: Path) -> None:
    text = INFRA.replace("link: [sentryDsn, databaseUrl, stripeKey],", "link: [sentryDsn, databaseUrl],")
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith("secret PaymentsStripeKey is read in src/charge.ts:5 but not linked to the service")
    assert f.path == "services/payments/infra.ts"
    assert f.line == line_of(text, "link: [")


def test_secret_read_but_not_declared(tmp_path: Path) -> None:
    charge = 'import { Resource } from "sst";\n\nexport const key = Resource.PaymentsWebhookSecret.value;\n'
    r = evaluate(tmp_path, ID, charge=charge)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == ("secret PaymentsWebhookSecret is read in src/charge.ts:3 but not declared in infra.ts: "
                         'add new sst.Secret("PaymentsWebhookSecret") and link it to the service')
    assert f.line == line_of(INFRA, "link: [")


def test_linked_only_in_some_stages(tmp_path: Path) -> None:
    text = INFRA.replace("link: [sentryDsn, databaseUrl, stripeKey],",
                         'link: $app.stage === "prod" ? [sentryDsn, databaseUrl] : [sentryDsn, databaseUrl, stripeKey],')
    r = evaluate(tmp_path, ID, infra=text)
    (f,) = r.findings
    assert f.message.startswith("secret PaymentsStripeKey is read in src/charge.ts:5 but not linked to the service "
                                "for prod")


def test_link_spread_of_known_array_passes_imported_is_not_guessed(tmp_path: Path) -> None:
    text = INFRA.replace("link: [sentryDsn, databaseUrl, stripeKey],", "link: [...secrets],")
    text = text.replace("const scaling = {", "const secrets = [sentryDsn, databaseUrl, stripeKey];\nconst scaling = {")
    assert evaluate(tmp_path / "a", ID, infra=text).status == Status.PASS
    text = INFRA.replace("link: [sentryDsn, databaseUrl, stripeKey],", "link: [sentryDsn, databaseUrl, ...shared],")
    text = text.replace('import { alarms } from "../../infra/alarms";',
                        'import { alarms } from "../../infra/alarms";\nimport { shared } from "../../infra/secrets";')
    r = evaluate(tmp_path / "b", ID, infra=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "whether link holds it cannot be verified statically" in f.message
    assert "imported from ../../infra/secrets (shared)" in f.message


def test_no_resource_read_is_skip(tmp_path: Path) -> None:
    index = 'import { Hono } from "hono";\nexport const app = new Hono();\n'
    r = evaluate(tmp_path, ID, index=index, charge=None)
    assert r.status == Status.SKIP


def test_placeholder_value_is_a_notice(tmp_path: Path) -> None:
    text = INFRA.replace('new sst.Secret("PaymentsStripeKey")', 'new sst.Secret("PaymentsStripeKey", "sk_test_placeholder")')
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.PASS
    (f,) = r.findings
    assert f.level == Level.NOTICE
    assert f.message.startswith("secret PaymentsStripeKey is declared with a placeholder value")
    assert f.line == line_of(text, 'new sst.Secret("PaymentsStripeKey"')


def test_secret_read_through_an_aliased_import_or_namespace(tmp_path: Path) -> None:
    charge = ('import { Resource as R } from "sst";\nimport * as S from "sst";\n\n'
              'export const a = R.PaymentsWebhookSecret.value;\nexport const b = S.Resource.PaymentsOtherKey.value;\n')
    r = evaluate(tmp_path, ID, charge=charge)
    assert r.status == Status.FAIL
    msgs = [(f.message.split(":")[0], f.line) for f in r.findings]
    link = line_of(INFRA, "link: [")
    assert msgs == [("secret PaymentsWebhookSecret is read in src/charge.ts", link),
                    ("secret PaymentsOtherKey is read in src/charge.ts", link)]
    assert "src/charge.ts:4 but not declared in infra.ts" in r.findings[0].message
    assert "src/charge.ts:5 but not declared in infra.ts" in r.findings[1].message


def test_secret_read_by_subscript_or_destructuring(tmp_path: Path) -> None:
    charge = ('import { Resource } from "sst";\n\nconst { PaymentsWebhookSecret, PaymentsOther: o } = Resource;\n'
              'export const a = Resource["PaymentsHiddenKey"].value;\n')
    r = evaluate(tmp_path, ID, charge=charge)
    assert r.status == Status.FAIL
    assert [f.message.split(" is read in ")[0] for f in r.findings] == [
        "secret PaymentsWebhookSecret", "secret PaymentsOther", "secret PaymentsHiddenKey"]
    assert "src/charge.ts:3" in r.findings[0].message and "src/charge.ts:4" in r.findings[2].message


def test_resource_read_by_a_computed_name_fails_at_the_read(tmp_path: Path) -> None:
    charge = ('import { Resource } from "sst";\n\nexport function secret(name: string) {\n'
              '  return (Resource as any)[name].value;\n}\n')
    r = evaluate(tmp_path, ID, charge=charge)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == ("(Resource as any)[name] reads SST's Resource without naming the resource: which secret it "
                         "needs cannot be verified statically; read it as Resource.<Name>")
    assert (f.path, f.line) == ("services/payments/src/charge.ts", 4)


def test_a_local_named_resource_is_not_sst(tmp_path: Path) -> None:
    charge = ('import { Resource } from "sst";\n\nexport const k = Resource.PaymentsStripeKey.value;\n'
              'export function f(Resource: Record<string, string>) {\n  return Resource.Anything;\n}\n')
    r = evaluate(tmp_path, ID, charge=charge)
    assert r.status == Status.PASS, r.findings
