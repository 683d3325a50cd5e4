import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Network } from "../../src/index.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { pay } from "../support/pay.js";
import { useTempCache } from "../support/temp-cache.js";

const daemons = await detectDaemons();
const topology = { nodes: { alice: {}, bob: {} }, channels: [{ from: "alice", to: "bob", sats: 700_000 }] };

describe.skipIf(!daemons.ok)(e2eTitle("cached networks", daemons), () => {
  const cacheDir = useTempCache("all", { pinDaemons: true });

  it("builds the template once; later starts copy it, each into its own dir, with usable channels", {
    timeout: 180_000,
  }, async () => {
    const first = await Network.start<"alice" | "bob">({ topology, cache: true });
    const templates = readdirSync(path.join(cacheDir(), "networks"));
    expect(templates).toHaveLength(1);
    const ids = [first.ldkServer("alice").nodeId, first.ldkServer("bob").nodeId];
    await pay(first.ldkServer("alice"), first.ldkServer("bob"));
    // Two at once from the same template: separate dirs and ports, both usable, both pay.
    const [second, third] = await Promise.all([
      Network.start<"alice" | "bob">({ topology, cache: true }),
      Network.start<"alice" | "bob">({ topology, cache: true }),
    ]);
    try {
      for (const net of [second, third]) {
        expect([net.ldkServer("alice").nodeId, net.ldkServer("bob").nodeId]).toEqual(ids);
        const [channel] = (await net.ldkServer("alice").client.listChannels()).channels;
        expect([channel?.channelValueSats, channel?.isUsable]).toEqual([700_000n, true]);
      }
      expect(new Set([first.runDir.path, second.runDir.path, third.runDir.path]).size).toBe(3);
      expect(second.ldkServer("bob").p2pAddress).not.toBe(third.ldkServer("bob").p2pAddress);
      await Promise.all([
        pay(second.ldkServer("alice"), second.ldkServer("bob")),
        pay(third.ldkServer("alice"), third.ldkServer("bob")),
      ]);
      // The template itself never runs and is unchanged by the copies' payments.
      expect(readdirSync(path.join(cacheDir(), "networks"))).toEqual(templates);
    } finally {
      await Promise.all([first.stop(), second.stop(), third.stop()]);
    }
    expect(existsSync(second.runDir.path)).toBe(false);
  });

  it("another topology is another template", { timeout: 120_000 }, async () => {
    const before = readdirSync(path.join(cacheDir(), "networks")).filter((d) => !d.includes(".")).length;
    const net = await Network.start({ topology: { nodes: { carol: {} } }, cache: true });
    await net.stop();
    expect(readdirSync(path.join(cacheDir(), "networks")).filter((d) => !d.includes(".")).length).toBe(
      before + 1,
    );
  });
});
