import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { badOption } from "../common/errors.js";
import { kindOf } from "../kinds/registry.js";
import type { NetworkNode } from "../node/network-node.js";
import type { Topology } from "../node/topology-spec.js";
import type { NetworkContext } from "./network-context.js";
import { type ChannelEnds, waitForUsableChannels } from "./usable-channels.js";

export interface JitChannelOptions extends CallOptions {
  /** Only a channel the LSP opens after this mark of its events (`lsp.events.mark()` before paying). */
  since?: number;
}

/**
 * Waits for the channel an LSP opens just in time to `client` (a payment for the client's JIT invoice
 * reached it), then confirms it: the payment waits at the LSP until the channel has its confirmations.
 * Resolves once it is usable on both sides. The LSP's kind watches for the open (its `jit` capability);
 * a kind without one is refused.
 */
export async function waitForJitChannel(
  net: NetworkContext,
  lsp: NetworkNode,
  client: NetworkNode,
  topology: Topology | undefined,
  { since, timeoutMs = defaultTimeout("channel"), signal }: JitChannelOptions = {},
): Promise<ChannelEnds> {
  const jit = kindOf(lsp).capabilities.jit;
  if (!jit) {
    throw badOption("lsp", `${lsp.nodeName} is a ${lsp.kind} node, which opens no JIT channels`, {
      node: lsp.nodeName,
      kind: lsp.kind,
    });
  }
  const deadline = Date.now() + timeoutMs;
  const terms = topology?.nodes[lsp.nodeName]?.lsps2_service;
  const opened = await jit.waitForOpen(lsp, client, terms, { since, timeoutMs, signal });
  const [ends] = await waitForUsableChannels(net, [{ opener: lsp, acceptor: client, opened }], {
    timeoutMs: Math.max(1, deadline - Date.now()),
    signal,
  });
  return ends as ChannelEnds;
}
