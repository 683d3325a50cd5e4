import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Network } from "../../src/index.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { pay } from "../support/pay.js";

const daemons = await detectDaemons();

describe.skipIf(!daemons.ok)(e2eTitle("a network in a dir of its own, stopped and resumed", daemons), () => {
  let dir = "";
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("resumes with the same node ids, ports, channel and history, and pays again", {
    timeout: 120_000,
  }, async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-devnet-"));
    const topology = {
      nodes: { alice: {}, bob: {} },
      channels: [{ from: "alice", to: "bob", sats: 600_000 }],
    };
    const first = await Network.start<"alice" | "bob">({ dir, topology });
    const ids = [first.ldkServer("alice").nodeId, first.ldkServer("bob").nodeId];
    const addresses = [first.ldkServer("alice").grpcAddress, first.ldkServer("bob").p2pAddress];
    const paid = await pay(first.ldkServer("alice"), first.ldkServer("bob"));
    await first.stop();

    const second = await Network.start<"alice" | "bob">({ dir });
    try {
      const [alice, bob] = [second.ldkServer("alice"), second.ldkServer("bob")];
      expect([alice.nodeId, bob.nodeId]).toEqual(ids);
      expect([alice.grpcAddress, bob.p2pAddress]).toEqual(addresses);
      const channels = (await alice.client.listChannels()).channels;
      expect(channels.map((c) => [c.channelValueSats, c.isUsable])).toEqual([[600_000n, true]]);
      expect((await alice.listAllPayments()).map((p) => p.id)).toContain(paid);
      await pay(alice, bob);
    } finally {
      await second.stop();
    }
    await expect(Network.start({ dir, topology: { nodes: { zed: {} } } })).rejects.toThrow(
      /holds a network with another topology/,
    );
  });
});
