from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import run

SRC = "services/payments/src/notify.ts"


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "resilience.circuit-breakers")
    assert r.status == Status.PASS, r.findings
    assert "1 vendor call" in r.reason


def test_vendor_calls_outside_breaker_fail(tmp_path: Path) -> None:
    code = """
    import sgMail from "@sendgrid/mail";
    import twilio from "twilio";
    import { http } from "@platform/http";
    import { breaker } from "@platform/resilience";

    sgMail.setApiKey("k");
    const client = twilio("sid", "token");

    export async function notify(to: string) {
      await sgMail.send({ to });
      await client.messages.create({ to });
      await http.post("https://api.vendor.example/v1/send", {});
      await http.get(`https://identity.${stage}.platform.loop.health/v1/me`);
      await breaker("twilio", () => client.messages.create({ to }));
    }
    """
    r = run(tmp_path, "resilience.circuit-breakers", extra={SRC: code})
    assert r.status == Status.FAIL
    assert [(f.path, f.line) for f in r.findings] == [(SRC, 10), (SRC, 11), (SRC, 12)]
    assert 'wrap it in breaker("@sendgrid/mail", () => ...)' in r.findings[0].message
    assert "api.vendor.example" in r.findings[2].message


def test_named_function_passed_to_breaker_counts(tmp_path: Path) -> None:
    code = """
    import Stripe from "stripe";
    import { breaker } from "@platform/resilience";
    const stripe = new Stripe("k");
    const refund = () => stripe.refunds.create({});
    export const run = () => breaker("stripe", refund);
    """
    r = run(tmp_path, "resilience.circuit-breakers", extra={SRC: code})
    assert r.status == Status.PASS, r.findings


def test_no_vendor_call_is_skip(tmp_path: Path) -> None:
    from tests.checks.code_fixture import INDEX_TS

    src = INDEX_TS.replace("stripe.charges.create({ amount: 100 })", "Promise.resolve({ id: 'x' })")
    r = run(tmp_path, "resilience.circuit-breakers", index=src)
    assert r.status == Status.SKIP


def test_vendor_object_imported_from_another_file(tmp_path: Path) -> None:
    lib = 'import Stripe from "stripe";\nexport const stripe = new Stripe("k", { timeout: 1 });\n'
    code = """
    import { stripe } from "./lib/stripe";
    export async function refund(id: string) {
      return stripe.refunds.create({ charge: id });
    }
    """
    r = run(tmp_path, "resilience.circuit-breakers",
            extra={"services/payments/src/lib/stripe.ts": lib, SRC: code})
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert (f.path, f.line) == (SRC, 3)
    assert 'stripe.refunds.create(...) calls stripe outside a circuit breaker' in f.message


def test_type_only_imports_are_not_vendor_bindings(tmp_path: Path) -> None:
    code = """
    import type Stripe from "stripe";
    import { type Twilio } from "twilio";
    export async function charge(client: Stripe, sms: Twilio) {
      await client.charges.create({ amount: 1 });
      await sms.messages.create({});
    }
    """
    from tests.checks.code_fixture import INDEX_TS

    src = INDEX_TS.replace("stripe.charges.create({ amount: 100 })", "Promise.resolve({ id: 'x' })")
    r = run(tmp_path, "resilience.circuit-breakers", index=src, extra={SRC: code})
    assert r.status == Status.SKIP, r.findings


def test_destructured_vendor_members_and_http_aliases_are_vendor_calls(tmp_path: Path) -> None:
    code = """
    import Stripe from "stripe";
    import { http } from "@platform/http";
    const stripe = new Stripe("key");
    export async function charge() {
      const { charges } = stripe;
      await charges.create({ amount: 1 });
      const client = http;
      await client.post("https://api.shipengine.com/v1/labels", {});
      const { get } = http;
      await get("https://api.vendor.example/v1/rates");
      await client.get("https://identity.platform.loop.health/v1/clients");
    }
    """
    r = run(tmp_path, "resilience.circuit-breakers", extra={SRC: code})
    assert r.status == Status.FAIL
    got = [(f.path, f.line, f.message.split(" outside ")[0]) for f in r.findings]
    assert got == [(SRC, 6, "charges.create(...) calls stripe"),
                   (SRC, 8, "client.post(...) calls api.shipengine.com"),
                   (SRC, 10, "get(...) calls api.vendor.example")]


def test_an_aliased_or_namespaced_breaker_and_retry_are_credited(tmp_path: Path) -> None:
    code = """
    import Stripe from "stripe";
    import { breaker as cb, retry as withRetry } from "@platform/resilience";
    import * as res from "@platform/resilience";
    const stripe = new Stripe("k");
    const opts = { retries: 3, backoff: "exponential", jitter: true };
    const refund = () => withRetry(() => stripe.refunds.create({}), opts);
    export const a = () => cb("stripe", () => withRetry(() => stripe.charges.create({}), opts));
    export const b = () => res.breaker("stripe", () => res.retry(() => stripe.charges.list(), opts));
    export const c = () => cb("stripe", refund);
    """
    for item in ("resilience.circuit-breakers", "resilience.retries"):
        r = run(tmp_path / item, item, extra={SRC: code})
        assert r.status == Status.PASS, (item, r.findings)


def test_an_alias_that_is_not_the_platform_breaker_is_not_credited(tmp_path: Path) -> None:
    code = """
    import Stripe from "stripe";
    import { breaker as cb } from "./local-breaker";
    import { retry as withRetry } from "@platform/resilience";
    const stripe = new Stripe("k");
    const opts = { retries: 3, backoff: "exponential", jitter: true };
    export const a = () => cb("stripe", () => withRetry(() => stripe.charges.create({}), opts));
    """
    local = "export const breaker = (_n: string, fn: () => unknown) => fn();\n"
    r = run(tmp_path, "resilience.circuit-breakers",
            extra={SRC: code, "services/payments/src/local-breaker.ts": local})
    assert r.status == Status.FAIL
    got = [(f.path, f.line, f.message) for f in r.findings]
    assert (SRC, 6, 'stripe.charges.create(...) calls stripe outside a circuit breaker: wrap it in '
                    'breaker("stripe", () => ...)') in got


def test_a_breaker_alias_without_retry_fails_retries(tmp_path: Path) -> None:
    code = """
    import Stripe from "stripe";
    import { breaker as cb } from "@platform/resilience";
    const stripe = new Stripe("k");
    export const a = () => cb("stripe", () => stripe.charges.create({}));
    """
    r = run(tmp_path, "resilience.retries", extra={SRC: code})
    assert r.status == Status.FAIL
    (f,) = [f for f in r.findings if f.path == SRC]
    assert (f.line, f.message) == (4, 'stripe.charges.create(...) is inside breaker(...) but not retried: wrap it in '
                                      'retry(() => ..., { backoff: "exponential", jitter: true })')


def test_what_an_awaited_vendor_call_returns_is_data_not_a_client(tmp_path: Path) -> None:
    code = """
    import Stripe from "stripe";
    import { createClient } from "twilio";
    import { breaker, retry } from "@platform/resilience";
    const opts = { retries: 3, backoff: "exponential", jitter: true };
    const sms = createClient("sid", "token");
    export async function run(key: string) {
      const stripe = new Stripe(key);
      const r = await stripe.charges.list();
      const { data } = await stripe.refunds.list();
      await breaker("stripe", async () => {
        const page = await retry(() => stripe.charges.list(), opts);
        return page.data.map((x) => x.id);
      });
      await sms.messages.create({});
      return r.data.filter((x) => x.paid).map((x) => x.id).concat(data.map((x) => x.id));
    }
    """
    r = run(tmp_path, "resilience.circuit-breakers", extra={SRC: code})
    assert r.status == Status.FAIL
    got = [(f.path, f.line, f.message) for f in r.findings]
    assert got == [
        (SRC, 8, 'stripe.charges.list(...) calls stripe outside a circuit breaker: wrap it in breaker("stripe", () => ...)'),
        (SRC, 9, 'stripe.refunds.list(...) calls stripe outside a circuit breaker: wrap it in breaker("stripe", () => ...)'),
        (SRC, 14, 'sms.messages.create(...) calls twilio outside a circuit breaker: wrap it in breaker("twilio", () => ...)'),
    ]
    r = run(tmp_path / "retries", "resilience.retries", extra={SRC: code})
    assert r.status == Status.PASS, r.findings


def test_a_client_built_by_a_method_without_await_stays_a_client(tmp_path: Path) -> None:
    code = """
    import Stripe from "stripe";
    const stripe = new Stripe("k");
    export async function run() {
      const scoped = stripe.withOptions({ stripeAccount: "a" });
      return scoped.charges.list();
    }
    """
    r = run(tmp_path, "resilience.circuit-breakers", extra={SRC: code})
    assert r.status == Status.FAIL
    assert [(f.path, f.line) for f in r.findings] == [(SRC, 4), (SRC, 5)]
    assert r.findings[1].message.startswith("scoped.charges.list(...) calls stripe outside a circuit breaker")
