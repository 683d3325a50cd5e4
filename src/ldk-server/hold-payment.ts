import { createHash, randomBytes } from "node:crypto";
import type { CallOptions } from "../common/call-options.js";
import type { NetworkNode } from "../node/network-node.js";
import type { LdkServer } from "./ldk-server.js";

/** A payment held by its payee: in flight until `claim()` or `fail()`. */
export interface HeldPayment {
  /** The payer's id of the payment. */
  paymentId: string;
  paymentHash: string;
  /** Settles the HTLC with the preimage: the payment succeeds on both sides. */
  claim: () => Promise<unknown>;
  /** Fails the HTLC back to the payer. */
  fail: () => Promise<unknown>;
}

/**
 * `to` issues a hodl invoice (`bolt11ReceiveForHash`) for a preimage of ours, `from` (any node kind)
 * pays it, and this resolves once `to` holds the HTLC (PaymentClaimable): an HTLC in flight, made
 * deterministic, for crash and force-close tests.
 */
export async function holdPayment(
  from: NetworkNode,
  to: LdkServer,
  { amountMsat = 5_000_000n, ...options }: { amountMsat?: bigint } & CallOptions = {},
): Promise<HeldPayment> {
  const preimage = randomBytes(32);
  const paymentHash = createHash("sha256").update(preimage).digest("hex");
  const { invoice } = await to.client.bolt11ReceiveForHash({
    amountMsat,
    expirySecs: 3600,
    paymentHash,
    description: { kind: { case: "direct", value: "held payment" } },
  });
  const { paymentId } = await from.payInvoice(invoice);
  await to.events.waitForPayment(paymentHash, ["paymentClaimable"], { ...options, watch: [from] });
  return {
    paymentId,
    paymentHash,
    claim: () => to.client.bolt11ClaimForHash({ paymentHash, preimage: preimage.toString("hex") }),
    fail: () => to.client.bolt11FailForHash({ paymentHash }),
  };
}
