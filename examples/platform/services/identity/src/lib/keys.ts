import { CreateKeyCommand, GetPublicKeyCommand, KMSClient, ListResourceTagsCommand, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { exportJWK, importSPKI, type JWK } from "jose";
import { Resource } from "sst";

// AWS SDK clients are not vendors: KMS failures surface as 5xx and page through the alarms.
const kms = new KMSClient({});
const KEY_TAG = `platform-identity-${Resource.App.stage}`;

export type SigningKey = { kid: string; keyId: string; createdAt: Date };

let keys: SigningKey[] = [];

export async function activeKeys(): Promise<SigningKey[]> {
  return keys;
}

export async function publicJwks(): Promise<{ keys: JWK[] }> {
  const out: JWK[] = [];
  for (const key of await activeKeys()) {
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: key.keyId }));
    const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(PublicKey!).toString("base64")}\n-----END PUBLIC KEY-----`;
    const jwk = await exportJWK(await importSPKI(pem, "ES256"));
    out.push({ ...jwk, kid: key.kid, use: "sig", alg: "ES256" });
  }
  return { keys: out };
}

/** Creates the key for `kid` unless it exists, retires keys older than 30 days. Idempotent. */
export async function rotate(kid: string): Promise<SigningKey[]> {
  if (!keys.some((k) => k.kid === kid)) {
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({
        KeySpec: "ECC_NIST_P256",
        KeyUsage: "SIGN_VERIFY",
        Tags: [{ TagKey: KEY_TAG, TagValue: kid }],
      }),
    );
    keys.push({ kid, keyId: KeyMetadata!.KeyId!, createdAt: new Date() });
  }
  const cutoff = Date.now() - 30 * 24 * 3600 * 1000;
  for (const old of keys.filter((k) => k.createdAt.getTime() < cutoff)) {
    await kms.send(new ListResourceTagsCommand({ KeyId: old.keyId }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: old.keyId, PendingWindowInDays: 7 }));
  }
  keys = keys.filter((k) => k.createdAt.getTime() >= cutoff);
  return keys;
}
