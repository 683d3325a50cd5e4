import path from "node:path";
import type { ResultOf } from "../devnet/control.js";
import type { SupervisorOperations } from "../devnet/supervisor.js";
import { defaultKind, kindOf } from "../kinds/registry.js";
import type { CommandOutput } from "./command-runner.js";

/** What an operation's caller receives (bigints as decimal strings). */
export type Result<K extends keyof SupervisorOperations> = ResultOf<SupervisorOperations, K>;
export type StatusResult = Result<"status">;

/** Columns padded to their widest cell, two spaces apart. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const sat = (msat: string) => (BigInt(msat) / 1000n).toString();

/** `status`: the chain, then each node with its balances and channels. */
export function renderStatus(status: StatusResult): string {
  const lines = [
    `bitcoind ${status.bitcoind.alive ? "up" : "DOWN"}  block height ${status.height}  RPC ${status.bitcoind.rpcAddress}`,
  ];
  for (const [name, n] of Object.entries(status.nodes)) {
    // only a kind other than the default is named
    const title = `${name}${n.kind === defaultKind().name ? "" : ` (${n.kind})`} ${n.alive ? "up" : "DOWN"}`;
    if (n.error !== undefined) {
      lines.push(`${title}  no answer: ${n.error}  (log: ${n.logPath})`);
      continue;
    }
    lines.push(
      `${title}  on-chain ${n.onchainSats} sat (${n.spendableSats} spendable), lightning ${n.lightningSats} sat`,
    );
    for (const c of n.channels)
      lines.push(
        `  ${c.outbound ? "→" : "←"} ${c.peer}  ${c.sats} sat  out ${sat(c.outboundMsat)} / in ${sat(c.inboundMsat)} sat  ${c.usable ? "usable" : "not usable"}${c.announced ? "" : "  private"}`,
      );
    if (n.channels.length === 0) lines.push("  (no channels)");
  }
  return lines.join("\n");
}

/** What `up` prints once the network is up: how to reach each node (paths, never secrets), and the channels. */
export function renderUpReport(dir: string, status: StatusResult): CommandOutput {
  // Each kind names the fields it reports beyond the common ones, and which holds its credential.
  const pick = (n: StatusResult["nodes"][string], fields: readonly string[]) =>
    Object.fromEntries(fields.map((f) => [f, (n as unknown as Record<string, string>)[f]]));
  const nodes = Object.fromEntries(
    Object.entries(status.nodes).map(([name, n]) => {
      const { devnet } = kindOf(n);
      const entry = pick(n, [
        "kind",
        "nodeId",
        "grpcAddress",
        "p2pAddress",
        "tlsCertPath",
        ...devnet.upFields,
      ]);
      return [name, { entry, credential: entry[devnet.credentialField] ?? "" }] as const;
    }),
  );
  const channels = Object.entries(status.nodes).flatMap(([name, n]) =>
    n.channels
      .filter((c) => c.outbound)
      .map((c) => ({ from: name, to: c.peer, sats: Number(c.sats), usable: c.usable })),
  );
  const rows = [["name", "kind", "node id", "gRPC", "P2P", "TLS cert", "API key / macaroon"]];
  for (const [name, { entry, credential }] of Object.entries(nodes))
    rows.push([
      name,
      entry.kind ?? "",
      entry.nodeId ?? "",
      entry.grpcAddress ?? "",
      entry.p2pAddress ?? "",
      entry.tlsCertPath ?? "",
      credential,
    ]);
  const channelLines = channels.map(
    (c) => `  ${c.from} → ${c.to}  ${c.sats} sat  ${c.usable ? "usable" : "not usable"}`,
  );
  const human = [
    table(rows),
    "",
    "channels:",
    ...(channelLines.length > 0 ? channelLines : ["  (none)"]),
    "",
    `connection files: ${path.join(dir, "connections.json")}, ${path.join(dir, "<node>.env")}`,
  ].join("\n");
  const json = Object.fromEntries(Object.entries(nodes).map(([name, { entry }]) => [name, entry]));
  return { json: { dir, nodes: json, channels }, human };
}

/** One line per operation's result, for a human. */
export const renderLine = {
  mine: (r: Result<"mine">) =>
    `mined ${r.blocks} block${r.blocks === 1 ? "" : "s"}: height ${r.height}, every node synced`,
  fund: (r: Result<"fund">) =>
    `sent ${r.sats} sat to ${r.node} (${r.address}) in ${r.txid}: confirmed and spendable`,
  open: (r: Result<"open">) =>
    `channel ${r.from} → ${r.to} of ${r.sats} sat ${r.usable ? "usable on both sides" : "open, not usable yet"} (channel id ${r.channelId})`,
  // The invoice alone, so that `ldk-regtest pay alice "$(ldk-regtest invoice bob 50sat)"` works.
  invoice: (r: Result<"invoice">) => r.invoice,
  pay: (r: Result<"pay">) => `${r.node} paid: payment ${r.paymentId} ${r.status}`,
  close: (r: Result<"close">) =>
    `closed the channel ${r.from} → ${r.to} (${r.channelId}): closing transaction confirmed`,
};

/** `down`: what was stopped, and what stays. */
export function renderDown(dir: string, stopped: boolean, purged: boolean): CommandOutput {
  const what = stopped ? `stopped the network in ${dir}` : `no network was up in ${dir}`;
  const after = purged ? "; deleted it" : stopped ? "; its state stays for the next up" : "";
  return { json: { dir, stopped, purged }, human: `${what}${after}` };
}
