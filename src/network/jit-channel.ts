import { ChannelState } from "../client/index.js";
import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { badOption } from "../common/errors.js";
import type { LdkServer } from "../ldk-server/ldk-server.js";
import type { Lsps2ServiceSpec } from "./lsps2.js";
import type { NetworkContext } from "./network-context.js";
import { type ChannelEnds, waitForUsableChannels } from "./usable-channels.js";

export interface JitChannelOptions extends CallOptions {
  /** Only a channel the LSP opens after this mark of its events (`lsp.events.mark()` before paying). */
  since?: number;
}

/**
 * Waits for the channel an LSP opens just in time to `client` (a payment for the client's JIT invoice
 * reached it), then confirms it: ldk-server's LSPS2 client does not accept 0-conf channels, so the
 * payment waits at the LSP until the channel has its 6 confirmations. Resolves once it is usable on
 * both sides. An LSP whose clients trust it (`client_trusts_lsp`) never broadcasts the funding before
 * the client claims, which an ldk-server client cannot do: that is refused at once.
 */
export async function waitForJitChannel(
  net: NetworkContext,
  lsp: LdkServer,
  client: LdkServer,
  terms: Lsps2ServiceSpec | undefined,
  { since, timeoutMs = defaultTimeout("channel"), signal }: JitChannelOptions = {},
): Promise<ChannelEnds> {
  if (terms?.client_trusts_lsp) {
    throw badOption(
      "client_trusts_lsp",
      `${lsp.nodeName} has client_trusts_lsp = true: it holds the funding transaction until ${client.nodeName} claims the payment, and ${client.nodeName} (ldk-server accepts no 0-conf channel from its LSP) waits for 6 confirmations of it first, so the channel never opens; leave client_trusts_lsp out (false)`,
      { node: lsp.nodeName },
    );
  }
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
