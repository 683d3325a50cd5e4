import { expect } from "vitest";
import { LdkServerError } from "../../src/client/index.js";
import type { Network } from "../../src/index.js";
import type { AnyNode } from "../../src/kinds/registry.js";

/**
 * An ldk-server payer pays `to` across the network once it finds a route: a start waits for every
 * announcement in every graph, and right after it an LDK payer's pathfinding may still refuse
 * (Bolt11Send FAILED_PRECONDITION, RouteNotFound in its log, no HTLC sent) for a gossip message not yet
 * in; seen in about 1 in 5 runs of lnd-interop, cause not yet found. The wait ends once a send is
 * accepted; then both sides must see SUCCEEDED.
 */
export async function payWhenRoutable(net: Network, from: AnyNode, to: AnyNode): Promise<void> {
  const { invoice, paymentHash } = await to.createInvoice({
    amountMsat: 1_000_000n,
    description: "test payment",
  });
  const sent = await net.waitFor(
    `${from.nodeName} finds a route to ${to.nodeName}`,
    async () => {
      try {
        return await from.payInvoice(invoice);
      } catch (error) {
        if (error instanceof LdkServerError && error.codeName === "FAILED_PRECONDITION") return undefined;
        throw error;
      }
    },
    { until: (s) => s !== undefined, timeoutMs: 30_000 },
  );
  expect(await from.waitForPaymentOutcome(sent?.paymentId ?? "")).toBe("SUCCEEDED");
  expect(await to.waitForPaymentOutcome(paymentHash)).toBe("SUCCEEDED");
}
