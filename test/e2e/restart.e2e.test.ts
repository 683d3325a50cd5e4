import { createServer, type Server } from "node:net";
import { describe, expect } from "vitest";
import { networkTest } from "../../src/testing/vitest.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { pay } from "../support/pay.js";

const daemons = await detectDaemons();

const test = networkTest<"alice" | "bob">({
  topology: { nodes: { alice: {}, bob: {} }, channels: [{ from: "alice", to: "bob", sats: 1_000_000 }] },
  scope: "file",
});

describe.skipIf(!daemons.ok)(e2eTitle("restarts keep a channel usable", daemons), () => {
  test.for([
    ["bob", "the acceptor"],
    ["alice", "the opener"],
  ] as const)(
    "after restarting %s (%s): same node id, same history, usable within 10 s, pays again",
    {
      timeout: 60_000,
    },
    async ([name], { network: net }) => {
      const node = net.ldkServer(name);
      const id = node.nodeId;
      await pay(net.ldkServer("alice"), net.ldkServer("bob")); // a history to keep
      const history = (await node.listAllPayments()).map((p) => p.id);
      expect(history.length).toBeGreaterThan(0);
      const addresses = [node.grpcAddress, node.p2pAddress];
      await net.restart(name, { timeoutMs: 10_000 });
      expect(node.nodeId).toBe(id);
      expect([node.grpcAddress, node.p2pAddress]).toEqual(addresses);
      expect((await node.listAllPayments()).map((p) => p.id)).toEqual(expect.arrayContaining(history));
      await pay(net.ldkServer("alice"), net.ldkServer("bob"));
    },
  );

  // ldk-node redials a peer only every 60 s: a restart through the node itself used to leave its
  // channels unusable for that long (it was not usable after 10 s).
  test.for(["bob", "alice"] as const)(
    "%s.restart() on the node itself resolves with its channel usable on both sides",
    { timeout: 60_000 },
    async (name, { network: net }) => {
      await net.ldkServer(name).restart({ timeoutMs: 10_000 });
      for (const node of [net.ldkServer("alice"), net.ldkServer("bob")])
        expect((await node.listChannels()).map((c) => c.isUsable)).toEqual([true]);
    },
  );

  test("the acceptor comes back on new ports when its old P2P port is taken, and its peer is told", {
    timeout: 60_000,
  }, async ({ network: net }) => {
    const [bob] = [net.ldkServer("bob")];
    const oldAddress = bob.p2pAddress;
    await bob.stop();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) =>
      squatter.listen(Number(oldAddress.split(":")[1]), "127.0.0.1", resolve),
    );
    try {
      await net.restart("bob", { timeoutMs: 10_000 });
      expect(bob.p2pAddress).not.toBe(oldAddress);
      await pay(net.ldkServer("alice"), bob);
    } finally {
      squatter.close();
    }
  });
});
