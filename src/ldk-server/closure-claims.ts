import type { LightningBalance, PendingSweepBalance } from "../client/index.js";
import { type ClosureClaims, dueClaim, type PendingClaim } from "../node/network-node.js";
import type { LdkServer } from "./ldk-server.js";

/** LDK counts an on-chain claim final after this many confirmations (ANTI_REORG_DELAY). */
const ANTI_REORG_DELAY = 6;

/** What `node` still waits for on `channelId` (its balances and its channel list), as of `tip`. */
export async function ldkClosureClaims(
  node: Pick<LdkServer, "client" | "bestBlockHeight">,
  channelId: string,
  tip: number,
): Promise<ClosureClaims> {
  const [balances, channels, height] = await Promise.all([
    node.client.getBalances(),
    node.client.listChannels(),
    node.bestBlockHeight(),
  ]);
  const due = (what: string, sats: bigint, dueHeight?: number) => dueClaim(tip, what, sats, dueHeight);
  const claims = [
    ...balances.lightningBalances.flatMap((b) => fromLightningBalance(b, channelId, due)),
    ...balances.pendingBalancesFromChannelClosures.flatMap((b) => fromPendingSweep(b, channelId, tip, due)),
  ];
  if (channels.channels.some((c) => c.channelId === channelId))
    claims.unshift(due("channel still listed (closing transaction not yet seen confirmed)", 0n));
  return { height, synced: height !== undefined && height >= tip, claims };
}

type Due = (what: string, sats: bigint, dueHeight?: number) => PendingClaim;

function fromLightningBalance(b: LightningBalance, channelId: string, due: Due): PendingClaim[] {
  const { value } = b.balanceType;
  if (!value || value.channelId !== channelId) return [];
  const sats = value.amountSatoshis;
  switch (b.balanceType.case) {
    case "claimableOnChannelClose":
      return [due("closing transaction unconfirmed", sats)];
    case "claimableAwaitingConfirmations":
      return [
        due(
          "output in its to-self delay / awaiting confirmations",
          sats,
          b.balanceType.value.confirmationHeight,
        ),
      ];
    case "contentiousClaimable":
      // It has the preimage and claims at once; the timeout height is the counterparty's, not a goal.
      return [due(`${htlc(b.balanceType.value.paymentHash)} being claimed with its preimage`, sats)];
    case "maybeTimeoutClaimableHtlc":
      return [
        due(
          `${htlc(b.balanceType.value.paymentHash)} claimable by timeout`,
          sats,
          b.balanceType.value.claimableHeight,
        ),
      ];
    case "maybePreimageClaimableHtlc":
      return [
        due(
          `${htlc(b.balanceType.value.paymentHash)} until it expires`,
          sats,
          b.balanceType.value.expiryHeight,
        ),
      ];
    case "counterpartyRevokedOutputClaimable":
      return [due("revoked output being claimed", sats)];
    default:
      return [];
  }
}

function fromPendingSweep(b: PendingSweepBalance, channelId: string, tip: number, due: Due): PendingClaim[] {
  const { value } = b.balanceType;
  if (!value || (value.channelId !== undefined && value.channelId !== channelId)) return [];
  switch (b.balanceType.case) {
    case "pendingBroadcast":
      return [due("sweep not yet broadcast", b.balanceType.value.amountSatoshis)];
    case "broadcastAwaitingConfirmation":
      return [due("sweep broadcast, unconfirmed", b.balanceType.value.amountSatoshis)];
    case "awaitingThresholdConfirmations": {
      // Past the threshold the funds are the wallet's: ldk-node may list the sweep a while longer.
      const v = b.balanceType.value;
      const final = v.confirmationHeight + ANTI_REORG_DELAY - 1;
      if (final <= tip) return [];
      return [
        due(
          "sweep confirmed, awaiting LDK's reorg threshold",
          v.amountSatoshis,
          v.confirmationHeight + ANTI_REORG_DELAY - 1,
        ),
      ];
    }
    default:
      return [];
  }
}

/** An HTLC as a claim names it: by the start of its payment hash. */
function htlc(paymentHash: string): string {
  return `HTLC ${paymentHash.slice(0, 8)}…`;
}
