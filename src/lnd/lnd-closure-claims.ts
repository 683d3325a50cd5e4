import { channelIdOf } from "../node/channel-id.js";
import { type ClosureClaims, dueClaim, type PendingClaim } from "../node/network-node.js";
import type { LndClient, LndForceClosingChannel } from "./lnd-client.js";

/**
 * What an lnd node still waits for on closed channel `channelId`, as of `tip`, from its channel lists:
 * listed open, closing transaction unconfirmed, its to_self output in its CSV delay, outputs being swept
 * (lnd keeps the channel pending until its sweeps confirm), HTLCs by their maturity.
 */
export async function lndClosureClaims(
  client: LndClient,
  channelId: string,
  tip: number,
): Promise<ClosureClaims> {
  const [info, open, pending] = await Promise.all([
    client.getInfo(),
    client.listChannels(),
    client.pendingCloses(),
  ]);
  const ours = (c: { channel_point: string }) => channelIdOf(c.channel_point) === channelId;
  const claims: PendingClaim[] = [];
  if (open.some(ours))
    claims.push(dueClaim(tip, "channel still listed (closing transaction not yet seen)", 0n));
  for (const w of pending.waitingClose.filter((w) => ours(w.channel)))
    claims.push(dueClaim(tip, "closing transaction unconfirmed", BigInt(w.limbo_balance ?? 0)));
  for (const f of pending.forceClosing.filter((f) => ours(f.channel)))
    claims.push(...forceClosingClaims(f, tip));
  const height = info.block_height;
  return { height, synced: height >= tip, claims };
}

function forceClosingClaims(f: LndForceClosingChannel, tip: number): PendingClaim[] {
  const htlcs = (f.pending_htlcs ?? []).map((h) =>
    dueClaim(
      tip,
      `HTLC ${h.outpoint} (${h.incoming ? "incoming" : "outgoing"}, stage ${h.stage ?? "?"})`,
      BigInt(h.amount),
      (h.blocks_til_maturity ?? 0) > 0 ? h.maturity_height : undefined,
    ),
  );
  const inHtlcs = htlcs.reduce((sum, h) => sum + h.sats, 0n);
  const own = BigInt(f.limbo_balance ?? 0) - inHtlcs;
  if (own <= 0n) return htlcs;
  const delayed = (f.maturity_height ?? 0) > 0 && (f.blocks_til_maturity ?? 0) > 0;
  return [
    delayed
      ? dueClaim(tip, "to_self output in its CSV delay", own, f.maturity_height)
      : dueClaim(tip, "output being swept by lnd's sweeper, until its sweep confirms", own),
    ...htlcs,
  ];
}
