import { describe, expect, it } from "vitest";
import type { LdkServer } from "../../src/ldk-server/ldk-server.js";
import { waitForJitChannel } from "../../src/network/jit-channel.js";
import type { NetworkContext } from "../../src/network/network-context.js";

describe("waitForJitChannel", () => {
  it("refuses an LSP with client_trusts_lsp at once, saying why, without waiting on any node", async () => {
    const untouchable = new Proxy(
      {},
      {
        get: (_t, key) => {
          throw new Error(`touched ${String(key)}`);
        },
      },
    );
    const lsp = { nodeName: "lsp", kind: "ldk-server", events: untouchable } as unknown as LdkServer;
    const carol = { nodeName: "carol", kind: "ldk-server" } as unknown as LdkServer;
    const topology = { nodes: { lsp: { lsps2_service: { client_trusts_lsp: true } }, carol: {} } };
    const error = await waitForJitChannel(untouchable as NetworkContext, lsp, carol, topology).catch(
      (e) => e,
    );
    expect(error.code).toBe("BAD_OPTION");
    expect(error.message).toMatch(
      /lsp has client_trusts_lsp = true: .*carol .*never opens; leave client_trusts_lsp out/,
    );
  });
});
