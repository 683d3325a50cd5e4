import { expect } from "vitest";
import { type LdkServer, type NetworkNode, PaymentStatus } from "../../src/index.js";

/** `to` invoices, `from` pays; asserts both list it SUCCEEDED. Returns the payment id. */
export async function pay(from: LdkServer, to: LdkServer, amountMsat = 1_000_000n): Promise<string> {
  const invoice = await to.client.bolt11Receive({
    amountMsat,
    expirySecs: 3600,
    description: { kind: { case: "direct", value: "test payment" } },
  });
  const { paymentId } = await from.client.bolt11Send({ invoice: invoice.invoice });
  const [sent, received] = await Promise.all([
    from.waitForListedPayment(paymentId),
    to.waitForListedPayment(invoice.paymentHash),
  ]);
  expect([sent.status, received.status]).toEqual([PaymentStatus.SUCCEEDED, PaymentStatus.SUCCEEDED]);
  return paymentId;
}

/** The same through the common node surface, whatever the kinds: both sides see it SUCCEEDED. */
export async function payAcross(
  from: NetworkNode,
  to: NetworkNode,
  amountMsat = 1_000_000n,
): Promise<string> {
  const { invoice, paymentHash } = await to.createInvoice({ amountMsat, description: "test payment" });
  const { paymentId } = await from.payInvoice(invoice);
  // The payer first: a payment it failed at once never reaches the payee, whose wait would only time out.
  expect(await from.waitForPaymentOutcome(paymentId)).toBe("SUCCEEDED");
  expect(await to.waitForPaymentOutcome(paymentHash)).toBe("SUCCEEDED");
  return paymentHash;
}
