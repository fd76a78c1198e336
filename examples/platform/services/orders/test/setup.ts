import { vi } from "vitest";

vi.mock("@platform/db", () => import("@platform/db/testing"));
vi.mock("@platform/events", () => import("@platform/events/testing"));
vi.mock("@platform/auth", () => import("@platform/auth/testing"));
vi.mock("@platform/http", () => import("@platform/http/testing"));
vi.mock("twilio", () => import("@platform/testing/twilio"));
vi.mock("sst", () => ({
  Resource: {
    App: { stage: "test" },
    OrdersSentryDsn: { value: "" },
    OrdersShipEngineKey: { value: "TEST_shipengine" },
    OrdersTwilioAccountSid: { value: "AC_test" },
    OrdersTwilioToken: { value: "test" },
  },
}));
