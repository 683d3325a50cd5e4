import { createHash, randomBytes } from "node:crypto";
import type { LdkServer } from "../../src/index.js";

/**
 * `to` issues a hodl invoice (bolt11ReceiveForHash), `from` pays it, and this resolves once `to` holds
 * the HTLC (PaymentClaimable): a payment in flight until `claim()` or `fail()`.
 */
export async function holdPayment(from: LdkServer, to: LdkServer, amountMsat = 5_000_000n) {
  const preimage = randomBytes(32);
  const paymentHash = createHash("sha256").update(preimage).digest("hex");
  const { invoice } = await to.client.bolt11ReceiveForHash({
    amountMsat,
    expirySecs: 3600,
    paymentHash,
    description: { kind: { case: "direct", value: "held payment" } },
  });
  const { paymentId } = await from.client.bolt11Send({ invoice });
  await to.events.waitForPayment(paymentHash, ["paymentClaimable"]);
  return {
    paymentId,
    paymentHash,
    claim: () => to.client.bolt11ClaimForHash({ paymentHash, preimage: preimage.toString("hex") }),
  };
}
