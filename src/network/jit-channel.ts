import { ChannelState } from "../client/index.js";
import { defaultTimeout, type WaitCallOptions } from "../common/durations.js";
import type { LdkServer } from "../ldk-server/ldk-server.js";
import type { NetworkContext } from "./network-context.js";
import { type ChannelEnds, waitForUsableChannels } from "./usable-channels.js";

export interface JitChannelOptions extends WaitCallOptions {
  /** Only a channel the LSP opens after this mark of its events (`lsp.events.mark()` before paying). */
  since?: number;
}

/**
 * Waits for the channel an LSP opens just in time to `client` (a payment for the client's JIT invoice
 * reached it), then confirms it: ldk-server's LSPS2 client does not accept 0-conf channels, so the
 * payment waits at the LSP until the channel has its 6 confirmations. Resolves once it is usable on
 * both sides.
 */
export async function waitForJitChannel(
  net: NetworkContext,
  lsp: LdkServer,
  client: LdkServer,
  { since, timeoutMs = defaultTimeout("channel"), signal }: JitChannelOptions = {},
): Promise<ChannelEnds> {
  const deadline = Date.now() + timeoutMs;
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
  const opened = {
    channelId: pending.channelId,
    userChannelId: pending.userChannelId,
    fundingTxid: pending.fundingTxo?.split(":")[0] ?? "",
  };
  const [ends] = await waitForUsableChannels(net, [{ opener: lsp, acceptor: client, opened }], {
    timeoutMs: Math.max(1, deadline - Date.now()),
    signal,
  });
  return ends as ChannelEnds;
}
