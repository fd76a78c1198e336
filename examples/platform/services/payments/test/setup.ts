import { vi } from "vitest";

// Platform test doubles: an in-memory Postgres (pg-mem) seeded from migrations/, a fake event
// bus, a token verifier that trusts the `x-test-scopes` header, and Stripe's test mock server.
vi.mock("@platform/db", () => import("@platform/db/testing"));
vi.mock("@platform/events", () => import("@platform/events/testing"));
vi.mock("@platform/auth", () => import("@platform/auth/testing"));
vi.mock("@platform/http", () => import("@platform/http/testing"));
vi.mock("sst", () => ({
  Resource: {
    App: { stage: "test" },
    PaymentsStripeKey: { value: "sk_test_mock" },
    PaymentsSentryDsn: { value: "" },
    PaymentsDatabaseUrl: { value: "postgres://localhost/payments_test" },
  },
}));
