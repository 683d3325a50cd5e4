import assert from "node:assert/strict";
import { test } from "node:test";
import { ChannelState } from "ldk-regtest";
import { aliceAndBob } from "./network.js";

const ln = aliceAndBob();

test(
  "Alice closes her channel with Bob cooperatively",
  ln.test(async (network) => {
    const [alice, bob] = [network.ldkServer("alice"), network.ldkServer("bob")];
    const [channel] = (await alice.client.listChannels()).channels;
    assert.ok(channel, "the topology has one channel");
    const since = { alice: alice.events.mark(), bob: bob.events.mark() };

    await alice.client.closeChannel({ userChannelId: channel.userChannelId, counterpartyNodeId: bob.nodeId });

    const closed = { channelId: channel.channelId };
    await alice.events.waitForChannelState(closed, ChannelState.CLOSED, { since: since.alice });
    await bob.events.waitForChannelState(closed, ChannelState.CLOSED, { since: since.bob });
    assert.deepEqual((await alice.client.listChannels()).channels, []);
    assert.deepEqual((await bob.client.listChannels()).channels, []);
  }),
);
