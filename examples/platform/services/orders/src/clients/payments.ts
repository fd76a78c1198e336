import { Resource } from "sst";
import { createPaymentsClient } from "@platform/sdk-payments";
import { serviceToken } from "@platform/auth";

export const payments = createPaymentsClient({
  baseUrl: `https://payments.${Resource.App.stage}.platform.loop.health`,
  token: () => serviceToken("orders"),
});
