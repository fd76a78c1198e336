// Stub for ACH debits until the bank partner integration ships.
// TODO: replace with the Plaid transfer API once the contract is signed (PAY-412).

export type AchDebit = { id: string; status: "pending" };

export async function createAchDebit(paymentId: string, amountCents: number): Promise<AchDebit> {
  return { id: `ach_stub_${paymentId}`, status: "pending" };
}
