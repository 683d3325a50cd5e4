import { ChannelState } from "ldk-regtest";
import { expect } from "vitest";
import { test } from "./network.js";

test("Alice closes her channel with Bob cooperatively", async ({ network }) => {
  const [alice, bob] = [network.ldkServer("alice"), network.ldkServer("bob")];
  const [channel] = (await alice.client.listChannels()).channels;
  if (!channel) throw new Error("the topology has one channel");
  const since = { alice: alice.events.mark(), bob: bob.events.mark() };

  await alice.client.closeChannel({ userChannelId: channel.userChannelId, counterpartyNodeId: bob.nodeId });

  const closed = { channelId: channel.channelId };
  await alice.events.waitForChannelState(closed, ChannelState.CLOSED, { since: since.alice });
  await bob.events.waitForChannelState(closed, ChannelState.CLOSED, { since: since.bob });
  expect((await alice.client.listChannels()).channels).toEqual([]);
  expect((await bob.client.listChannels()).channels).toEqual([]);
});
