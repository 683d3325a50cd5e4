import { useNetwork } from "ldk-regtest/node-test";

// Alice has a 1,000,000 sat channel to Bob. The first run builds it and caches it; later tests start
// from a copy of that network. Call inside a describe (or at a file's top level).
export function aliceAndBob() {
  return useNetwork<"alice" | "bob">({
    topology: {
      nodes: { alice: {}, bob: {} },
      channels: [{ from: "alice", to: "bob", sats: 1_000_000 }],
    },
    cache: true,
  });
}
