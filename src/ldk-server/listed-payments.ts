import { type LdkServerClient, type Payment, PaymentStatus } from "../client/index.js";
import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import type { Observable } from "../waits/diagnostics.js";
import { waitFor } from "../waits/wait-for.js";

/** What a wait on a node's payment history needs of the node. */
export interface PaymentHistory {
  readonly name: string;
  readonly client: LdkServerClient;
  readonly watched: readonly Observable[];
  readonly events: { onEvent: (callback: () => void) => () => void };
}

/** Every payment in the node's history (all pages). */
export async function listAllPayments(client: LdkServerClient): Promise<Payment[]> {
  const payments: Payment[] = [];
  for await (const payment of client.iteratePayments()) payments.push(payment);
  return payments;
}

/** Polls ListPayments (all pages) until `paymentId` is listed as SUCCEEDED or FAILED; returns it. */
export async function waitForListedPayment(
  node: PaymentHistory,
  paymentId: string,
  { timeoutMs = defaultTimeout("wait"), signal }: CallOptions = {},
): Promise<Payment> {
  const payment = await waitFor(
    `${node.name} lists payment ${paymentId} as SUCCEEDED or FAILED`,
    async () => (await listAllPayments(node.client)).find((p) => p.id === paymentId),
    {
      until: (p) => p !== undefined && p.status !== PaymentStatus.PENDING,
      timeoutMs,
      signal,
      watch: node.watched,
      wake: node.events.onEvent, // payment events precede the ListPayments record: re-probe then
    },
  );
  return payment as Payment;
}
