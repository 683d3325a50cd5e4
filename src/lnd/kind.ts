import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import type {
  KindExecutable,
  NodeActivity,
  NodeConnection,
  NodeKindDriver,
  PaymentView,
} from "../node/kind-driver.js";
import { daemonOptionsOf } from "../node/node-daemon.js";
import { findLnd, LND_EXECUTABLE } from "./executable.js";
import { installLnd } from "./install.js";
import { LndNode, lndLogPath } from "./lnd-node.js";

/** How an app reaches an lnd node: what lncli's `--rpcserver`, `--tlscertpath` and `--macaroonpath` take. */
export interface LndConnection extends NodeConnection {
  kind: "lnd";
  restAddress: string;
  macaroonPath: string;
  /** `lndconnect://…`: in `connections.json` and `<node>.env` only (it holds the macaroon). */
  lndconnect?: string;
}

/** sim-ln's LndConnection: its `id`, gRPC `address`, and paths of its admin macaroon and TLS certificate. */
export type LndSimNode = { id: string; address: string; macaroon: string; cert: string };

const LND_BUILD: KindExecutable = {
  spec: LND_EXECUTABLE,
  find: () => findLnd(),
  install: ({ fromFile, sha256, force, signal, log }) => installLnd({ fromFile, sha256, force, signal, log }),
  optionalFor: "for mixed networks",
};

function connection(node: LndNode): LndConnection {
  return {
    kind: node.kind,
    nodeId: node.nodeId,
    grpcAddress: node.grpcAddress,
    restAddress: node.restAddress,
    p2pAddress: node.p2pAddress,
    tlsCertPath: node.certPath,
    macaroonPath: node.macaroonPath,
    configPath: node.configPath,
    logPath: node.logPath,
  };
}

/** lnd: its sent payments, its invoices (what it received), its forwards. */
async function activity({ client }: LndNode, max: number): Promise<NodeActivity> {
  const [sent, invoices, forwards] = await Promise.all([
    client.recentPayments({ max }),
    client.recentInvoices({ max }),
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
    payments: [...outbound, ...inbound].sort((a, b) => b.updated - a.updated).slice(0, max),
    forwards: forwards.slice(-max).map((f) => ({ amountMsat: f.amt_out_msat, feeMsat: f.fee_msat })),
  };
}

/** lnd: makes its own wallet at start (so it is paid once it runs); no LSPS2, no BOLT12 offers. */
export const lndKind: NodeKindDriver<LndNode> = {
  name: "lnd",
  accessor: "lnd",
  executables: [LND_BUILD],
  executableFor: () => LND_BUILD,
  start: (launch, executable) => LndNode.start(daemonOptionsOf(launch, executable)),
  logPath: lndLogPath,
  devnet: {
    connection,
    // The files also get the lndconnect URI, which holds the macaroon.
    async fileConnection(node) {
      const [cert, macaroon] = await Promise.all([
        readFile(node.certPath, "utf8"),
        readFile(node.macaroonPath),
      ]);
      return { ...connection(node), lndconnect: lndConnectUri(node.grpcAddress, cert, macaroon) };
    },
    envLines: (c) => {
      const { restAddress, macaroonPath, lndconnect } = c as LndConnection;
      return [
        `LND_NODE_ID=${c.nodeId}`,
        `LND_GRPC_ADDRESS=${c.grpcAddress}`,
        `LND_REST_ADDRESS=${restAddress}`,
        `LND_P2P_ADDRESS=${c.p2pAddress}`,
        `LND_TLS_CERT=${c.tlsCertPath}`,
        `LND_MACAROON_PATH=${macaroonPath}`,
        `LND_CONFIG=${c.configPath}`,
        ...(lndconnect ? [`LND_CONNECT_URI=${lndconnect}`] : []),
      ];
    },
    upFields: ["restAddress", "macaroonPath"],
    credentialField: "macaroonPath",
  },
  // sim-ln's LndConnection: it reads both files itself (it hands the paths to tonic_lnd::connect).
  simNode: async (c): Promise<LndSimNode> => ({
    id: c.nodeId,
    address: `https://${c.grpcAddress}`,
    macaroon: (c as LndConnection).macaroonPath,
    cert: c.tlsCertPath,
  }),
  activity,
  capabilities: {},
};

/**
 * An lnd node as one `lndconnect://` URI (what wallet apps such as Zeus scan): its gRPC `host:port`,
 * the DER bytes of its TLS certificate and its macaroon, both base64url without padding. It holds the
 * macaroon: write it to private files only.
 */
export function lndConnectUri(grpcAddress: string, certPem: string | Buffer, macaroon: Buffer): string {
  const der = new X509Certificate(certPem).raw;
  return `lndconnect://${grpcAddress}?cert=${der.toString("base64url")}&macaroon=${macaroon.toString("base64url")}`;
}
