import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { apiKeyFromFile } from "../client/auth/hmac.js";
import { ChannelState, PaymentDirection, PaymentStatus } from "../client/index.js";
import type { CallOptions } from "../common/call-options.js";
import { badOption, LdkRegtestError } from "../common/errors.js";
import type {
  DoctorFinding,
  KindExecutable,
  NodeActivity,
  NodeConnection,
  NodeKindDriver,
  NodeLaunch,
} from "../node/kind-driver.js";
import type { NetworkNode, OpenedChannel } from "../node/network-node.js";
import { daemonOptionsOf } from "../node/node-daemon.js";
import type { Lsps2ServiceSpec } from "../node/topology-spec.js";
import type { FoundExecutable } from "../processes/find-executable.js";
import { ldkServerLogPath } from "./config.js";
import {
  findLdkServer,
  findLdkServerLsps2,
  LDK_SERVER_EXECUTABLE,
  LDK_SERVER_LSPS2_EXECUTABLE,
} from "./executable.js";
import { installLdkServer } from "./install.js";
import { LdkServer } from "./ldk-server.js";
import { lsps2ClientTable, lsps2ServiceProblem, lsps2ServiceTable } from "./lsps2.js";
import { newMnemonic, receiveDescriptor } from "./node-seed.js";
import { isTestBuild, STOCK_BUILD_NOTE } from "./test-knobs.js";
import { builtFromRev, LDK_SERVER_UPSTREAM } from "./upstream.js";

/** How an app reaches an ldk-server node. */
export interface LdkServerConnection extends NodeConnection {
  kind: "ldk-server";
  apiKeyPath: string;
}

/** sim-ln's LdkServerConnection: it reads the node id with GetNodeInfo, so the entry has none. */
export type LdkServerSimNode = {
  /** `host:port` of the gRPC service. */
  address: string;
  /** The hex of the node's `api_key` file. */
  api_key: string;
  /** Path of the node's `tls.crt` (the pinned certificate). */
  cert: string;
};

/** Only the pinned rev: another one may speak another API. Its test knobs are reported either way. */
function checkRev(version: string | undefined): DoctorFinding {
  const expectedRev = LDK_SERVER_UPSTREAM.rev;
  if (version === undefined) return { details: { rev: null, expectedRev, testKnobs: null } };
  const rev = builtFromRev(version) ?? null;
  const testKnobs = isTestBuild(version);
  const pinned = rev && rev !== "unknown" && (expectedRev.startsWith(rev) || rev.startsWith(expectedRev));
  return {
    details: { rev, expectedRev, testKnobs },
    note: testKnobs ? "test knobs: yes" : `test knobs: no — ${STOCK_BUILD_NOTE}`,
    ...(pinned
      ? {}
      : {
          problem: `built from rev ${rev ?? "unknown"}, not the pinned ${expectedRev.slice(0, 7)}: it may speak another API`,
        }),
  };
}

const DEFAULT_BUILD: KindExecutable = {
  spec: LDK_SERVER_EXECUTABLE,
  find: findLdkServer,
  install: ({ gitUrl, stock, force, signal, log }) => installLdkServer({ gitUrl, stock, force, signal, log }),
  installedByDefault: true,
  doctor: checkRev,
};

/** ldk-server's LSP build (`--features experimental-lsps2-support`): only nodes with `lsps2_service` run it. */
const LSPS2_BUILD: KindExecutable = {
  spec: LDK_SERVER_LSPS2_EXECUTABLE,
  find: findLdkServerLsps2,
  install: ({ gitUrl, stock, force, signal, log }) =>
    installLdkServer({ gitUrl, stock, force, signal, log, lsps2: true }),
  installFlag: "lsps2",
  optionalFor: "for LSP nodes",
  doctor: checkRev,
};

function start(launch: NodeLaunch, executable: FoundExecutable): Promise<LdkServer> {
  return LdkServer.start({
    ...daemonOptionsOf(launch, executable),
    liquidity: liquidityOf(launch),
    rescanFromHeight: launch.rescanFromHeight,
  });
}

/** The node's `[liquidity]` table from its LSPS2 roles, if it has any; a client's reads its LSP as it runs now. */
function liquidityOf({ spec, topology, peer }: NodeLaunch): (() => Record<string, unknown>) | undefined {
  const service = spec?.lsps2_service;
  const lspName = spec?.lsps2_client;
  if (service) return () => ({ lsps2_service: lsps2ServiceTable(service) });
  if (lspName === undefined) return undefined;
  return () => {
    const lsp = peer(lspName);
    if (!lsp) {
      throw new LdkRegtestError(
        "NOT_RUNNING",
        `LSP ${lspName} is not running: it starts before its clients`,
        {
          data: { node: lspName },
        },
      );
    }
    return { lsps2_client: lsps2ClientTable(lsp, topology?.nodes[lspName]?.lsps2_service ?? {}) };
  };
}

function connection(node: LdkServer): LdkServerConnection {
  return {
    kind: node.kind,
    nodeId: node.nodeId,
    grpcAddress: node.grpcAddress,
    p2pAddress: node.p2pAddress,
    tlsCertPath: path.join(node.storageDir, "tls.crt"),
    apiKeyPath: path.join(node.storageDir, "regtest", "api_key"),
    configPath: node.configPath,
    logPath: node.logPath,
  };
}

async function activity({ client }: LdkServer, max: number): Promise<NodeActivity> {
  const [payments, forwards] = await Promise.all([client.listPayments(), client.listForwardedPayments()]);
  return {
    payments: payments.payments
      .sort((a, b) => Number(b.latestUpdateTimestamp - a.latestUpdateTimestamp))
      .slice(0, max)
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
    forwards: forwards.forwardedPayments.slice(-max).map((f) => ({
      amountMsat: f.outboundAmountForwardedMsat?.toString(),
      feeMsat: f.totalFeeEarnedMsat?.toString(),
    })),
  };
}

/** ldk-server: the default kind, the only one with LSPS2, BOLT12 offers and a wallet paid before start. */
export const ldkServerKind: NodeKindDriver<LdkServer> = {
  name: "ldk-server",
  accessor: "ldkServer",
  executables: [DEFAULT_BUILD, LSPS2_BUILD],
  executableFor: (spec) => (spec?.lsps2_service === undefined ? DEFAULT_BUILD : LSPS2_BUILD),
  checkSpec(spec, fail) {
    const roles = spec.lsps2_service !== undefined || spec.lsps2_client !== undefined;
    if (roles && spec.config?.liquidity !== undefined)
      fail("config.liquidity", "set by lsps2_service / lsps2_client: leave it out of config");
  },
  start,
  logPath: ldkServerLogPath,
  devnet: {
    connection,
    envLines: (c) => {
      const { apiKeyPath } = c as LdkServerConnection;
      return [
        `LDK_SERVER_NODE_ID=${c.nodeId}`,
        `LDK_SERVER_GRPC_ADDRESS=${c.grpcAddress}`,
        `LDK_SERVER_P2P_ADDRESS=${c.p2pAddress}`,
        `LDK_SERVER_TLS_CERT=${c.tlsCertPath}`,
        `LDK_SERVER_API_KEY_PATH=${apiKeyPath}`,
        `LDK_SERVER_CONFIG=${c.configPath}`,
      ];
    },
    upFields: ["apiKeyPath"],
    credentialField: "apiKeyPath",
  },
  simNode: async (c): Promise<LdkServerSimNode> => ({
    address: c.grpcAddress,
    api_key: apiKeyFromFile(await readFile((c as LdkServerConnection).apiKeyPath)),
    cert: c.tlsCertPath,
  }),
  activity,
  capabilities: {
    prefund: {
      // ldk-server reads `<storage>/keys_mnemonic` instead of making a seed (0600, never overwritten).
      async seedWallet(storageDir, deriveAddress) {
        const mnemonic = newMnemonic();
        await writeFile(path.join(storageDir, "keys_mnemonic"), `${mnemonic}\n`, { mode: 0o600, flag: "wx" });
        return deriveAddress(receiveDescriptor(mnemonic));
      },
    },
    lsps2: { roles: ["service", "client"], serviceProblem: lsps2ServiceProblem },
    bolt12: { payOffer: (node, offer) => node.client.bolt12Send({ offer }) },
    jit: {
      invoice: async (client, { amountMsat, description, expirySecs }) =>
        client.client.bolt11ReceiveViaJitChannel({
          amountMsat,
          expirySecs,
          description: { kind: { case: "direct", value: description } },
        }),
      mark: (lsp) => lsp.events.mark(),
      waitForOpen: waitForJitOpen,
    },
  },
};

/**
 * The channel an LSP opens just in time to `client`. ldk-server's LSPS2 client accepts no 0-conf channel
 * from its LSP: an LSP whose clients trust it (`client_trusts_lsp`) never broadcasts the funding before
 * the client claims, which the client cannot do, so that is refused at once.
 */
async function waitForJitOpen(
  lsp: LdkServer,
  client: NetworkNode,
  terms: Lsps2ServiceSpec | undefined,
  { since, timeoutMs, signal }: CallOptions & { since?: number },
): Promise<OpenedChannel> {
  if (terms?.client_trusts_lsp) {
    throw badOption(
      "client_trusts_lsp",
      `${lsp.nodeName} has client_trusts_lsp = true: it holds the funding transaction until ${client.nodeName} claims the payment, and ${client.nodeName} (ldk-server accepts no 0-conf channel from its LSP) waits for 6 confirmations of it first, so the channel never opens; leave client_trusts_lsp out (false)`,
      { node: lsp.nodeName },
    );
  }
  const pending = await lsp.events.waitFor(
    `${lsp.nodeName} opens a JIT channel to ${client.nodeName}`,
    ({ event }) =>
      event.case === "channelStateChanged" &&
      event.value.state === ChannelState.PENDING &&
      event.value.counterpartyNodeId === client.nodeId
        ? event.value
        : undefined,
    { since, timeoutMs, signal, watch: [client] },
  );
  return {
    channelId: pending.channelId,
    implementationId: pending.userChannelId,
    fundingTxid: pending.fundingTxo?.split(":")[0] ?? "",
  };
}
