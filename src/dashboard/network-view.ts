import { PaymentDirection, PaymentStatus } from "../client/index.js";
import type { DevnetOperations } from "../devnet/operations.js";
import type { LdkServer } from "../ldk-server/ldk-server.js";
import type { LndNode } from "../lnd/lnd-node.js";
import type { Network } from "../network/network.js";
import type { NetworkNode } from "../node/network-node.js";
import { tailLines } from "../processes/log-tail.js";

/** How many payments, forwards and log lines the page shows per node. */
const RECENT = 8;
const LOG_LINES = 12;

/** A payment as the page lists it. */
export interface PaymentView {
  id: string;
  direction: "inbound" | "outbound";
  status: "pending" | "succeeded" | "failed";
  amountMsat: string | undefined;
  /** Seconds since the epoch of its last update. */
  updated: number;
}

/** A forward as the page lists it. */
export interface ForwardView {
  amountMsat: string | undefined;
  feeMsat: string | undefined;
}

/** What a node of one kind adds to the status: its recent payments and forwards. */
type ActivityOf = (node: NetworkNode) => Promise<{ payments: PaymentView[]; forwards: ForwardView[] }>;

const ldkServerActivity: ActivityOf = async (node) => {
  const { client } = node as LdkServer;
  const [payments, forwards] = await Promise.all([client.listPayments(), client.listForwardedPayments()]);
  return {
    payments: payments.payments
      .sort((a, b) => Number(b.latestUpdateTimestamp - a.latestUpdateTimestamp))
      .slice(0, RECENT)
      .map((p) => ({
        id: p.id,
        direction: p.direction === PaymentDirection.INBOUND ? "inbound" : "outbound",
        status:
          p.status === PaymentStatus.SUCCEEDED
            ? "succeeded"
            : p.status === PaymentStatus.FAILED
              ? "failed"
              : "pending",
        amountMsat: p.amountMsat?.toString(),
        updated: Number(p.latestUpdateTimestamp),
      })),
    forwards: forwards.forwardedPayments.slice(-RECENT).map((f) => ({
      amountMsat: f.outboundAmountForwardedMsat?.toString(),
      feeMsat: f.totalFeeEarnedMsat?.toString(),
    })),
  };
};

/** lnd: its sent payments, its invoices (what it received), its forwards. */
const lndActivity: ActivityOf = async (node) => {
  const { client } = node as LndNode;
  const [sent, invoices, forwards] = await Promise.all([
    client.recentPayments({ max: RECENT }),
    client.recentInvoices({ max: RECENT }),
    client.forwards({ max: 1000 }),
  ]);
  const outbound = sent.map(
    (p): PaymentView => ({
      id: p.payment_hash,
      direction: "outbound",
      status: p.status === "SUCCEEDED" ? "succeeded" : p.status === "FAILED" ? "failed" : "pending",
      amountMsat: p.value_msat,
      updated: Math.floor(Number(BigInt(p.creation_time_ns ?? "0") / 1_000_000_000n)),
    }),
  );
  const inbound = invoices.map(
    (i): PaymentView => ({
      id: Buffer.from(i.r_hash, "base64").toString("hex"),
      direction: "inbound",
      status: i.state === "SETTLED" ? "succeeded" : i.state === "CANCELED" ? "failed" : "pending",
      amountMsat: i.state === "SETTLED" ? i.amt_paid_msat : i.value_msat,
      updated: Number(i.state === "SETTLED" ? i.settle_date : i.creation_date) || 0,
    }),
  );
  return {
    payments: [...outbound, ...inbound].sort((a, b) => b.updated - a.updated).slice(0, RECENT),
    forwards: forwards.slice(-RECENT).map((f) => ({ amountMsat: f.amt_out_msat, feeMsat: f.fee_msat })),
  };
};

const ACTIVITY_OF_KIND: Record<string, ActivityOf> = { "ldk-server": ldkServerActivity, lnd: lndActivity };

/** A kind without payment history here still shows its balances, channels and log. */
const NO_ACTIVITY: ActivityOf = async () => ({ payments: [], forwards: [] });

/**
 * What the page draws: the CLI's `status` (the same operation), and per node its kind, recent
 * payments and forwards, and log tail. JSON-able, so a change is seen by comparing two snapshots.
 */
export async function networkView(network: Network, operations: Pick<DevnetOperations, "status">) {
  const status = await operations.status();
  const nodes = network.nodes as Readonly<Record<string, NetworkNode>>;
  const extras = await Promise.all(
    Object.entries(nodes).map(async ([name, node]) => {
      const activity = node.exitInfo ? NO_ACTIVITY : (ACTIVITY_OF_KIND[node.kind] ?? NO_ACTIVITY);
      // A node that does not answer shows no activity; `status` says why.
      const [recent, log] = await Promise.all([
        activity(node).catch(NO_ACTIVITY),
        tailLines(node.logPath, LOG_LINES),
      ]);
      return [name, { kind: node.kind, ...recent, log }] as const;
    }),
  );
  const more = Object.fromEntries(extras);
  return {
    height: status.height,
    bitcoind: status.bitcoind,
    nodes: Object.fromEntries(
      Object.entries(status.nodes).map(([name, n]) => [name, { ...n, ...more[name] }]),
    ),
  };
}

export type NetworkView = Awaited<ReturnType<typeof networkView>>;
