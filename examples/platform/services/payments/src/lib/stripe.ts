import Stripe from "stripe";
import { Resource } from "sst";

export const stripe = new Stripe(Resource.PaymentsStripeKey.value, {
  apiVersion: "2024-10-28.acacia",
  maxNetworkRetries: 0, // retries are ours (retry() with jitter), inside the breaker
  timeout: 10_000,
});
