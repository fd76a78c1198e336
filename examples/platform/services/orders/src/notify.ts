import twilio from "twilio";
import { Resource } from "sst";

const client = twilio(Resource.OrdersTwilioAccountSid.value, Resource.OrdersTwilioToken.value);

/** Texts the customer their tracking link. */
export async function sendShippedSms(to: string, trackingNumber: string): Promise<void> {
  await client.messages.create({
    to,
    from: "+18885550100",
    body: `Your Loop order has shipped. Track it: https://loop.health/track/${trackingNumber}`,
  });
}
