import { describe, expect, it } from "vitest";
import { Network } from "../../src/index.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { isAlive } from "../support/processes.js";

const daemons = await detectDaemons();

describe.skipIf(!daemons.ok)(e2eTitle("await using", daemons), () => {
  it("stops the network when the scope ends, also when it ends with an error", async () => {
    let pids: number[] = [];
    await expect(
      (async () => {
        await using net = await Network.start({ nodes: ["alice"] });
        await using client = net.ldkServer("alice").client;
        pids = [net.bitcoind.pid ?? -1, net.ldkServer("alice").pid ?? -1];
        expect(pids.every(isAlive)).toBe(true);
        expect((await client.getNodeInfo()).nodeId).toBe(net.ldkServer("alice").nodeId);
        throw new Error("the test failed here");
      })(),
    ).rejects.toThrow("the test failed here");
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
