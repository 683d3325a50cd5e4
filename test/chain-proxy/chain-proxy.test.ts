import { Agent, createServer, request, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ChainProxy, methodOf, type RpcEndpoint } from "../../src/chain-proxy/chain-proxy.js";

/** A stand-in for bitcoind's JSON-RPC: a tip we move by hand, and every call recorded. */
async function fakeBitcoind() {
  const state = { tip: "aa", calls: [] as { method: string; auth: string }[], down: false };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const { method, id } = JSON.parse(body) as { method: string; id: unknown };
      state.calls.push({ method, auth: req.headers.authorization ?? "" });
      const result =
        method === "getblockchaininfo"
          ? { chain: "regtest", bestblockhash: state.tip }
          : method === "getbestblockhash"
            ? state.tip
            : method === "fail"
              ? undefined
              : { echo: method };
      const status = result === undefined ? 500 : 200;
      const error = result === undefined ? { code: -1, message: "it failed" } : null;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ result: result ?? null, error, id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const upstream: RpcEndpoint = { rpcAddress: `127.0.0.1:${port}`, rpcUser: "core", rpcPassword: "secret" };
  return { state, server, upstream };
}

/** A node keeps one connection to its chain source: one agent per endpoint, one socket each. */
const agents = new Map<RpcEndpoint, Agent>();
const agentOf = (endpoint: RpcEndpoint) => {
  const agent = agents.get(endpoint) ?? new Agent({ keepAlive: true, maxSockets: 1 });
  agents.set(endpoint, agent);
  return agent;
};

/** One JSON-RPC call through the proxy, as a node makes it; resolves with status, body and time taken. */
function rpc(endpoint: RpcEndpoint, method: string, auth?: string) {
  const started = Date.now();
  const [host, port] = endpoint.rpcAddress.split(":");
  const body = JSON.stringify({ jsonrpc: "1.0", id: 1, method, params: [] });
  return new Promise<{ status: number; body: { result: unknown; error: unknown }; ms: number }>(
    (resolve, reject) => {
      const req = request(
        {
          host,
          port: Number(port),
          method: "POST",
          agent: agentOf(endpoint),
          headers: {
            authorization:
              auth ??
              `Basic ${Buffer.from(`${endpoint.rpcUser}:${endpoint.rpcPassword}`).toString("base64")}`,
            "content-type": "application/json",
          },
        },
        (res) => {
          let text = "";
          res.on("data", (c) => {
            text += c;
          });
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              body: text ? JSON.parse(text) : {},
              ms: Date.now() - started,
            }),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    },
  );
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
});

/** A node's start: its tip fetch and the first poll of its sync loop, never held. */
const started = async (endpoint: RpcEndpoint) => {
  for (const _ of [1, 2]) expect((await rpc(endpoint, "getblockchaininfo")).ms).toBeLessThan(200);
};

async function setup(options: { holdMs?: number; maxHeld?: number; maxBodyBytes?: number } = {}) {
  const bitcoind = await fakeBitcoind();
  const proxy = await ChainProxy.start({ upstream: bitcoind.upstream, ...options });
  cleanup.push(
    () => new Promise((resolve) => bitcoind.server.close(() => resolve())),
    () => proxy.stop(),
  );
  return { ...bitcoind, proxy, alice: proxy.endpointFor("alice"), bob: proxy.endpointFor("bob") };
}

describe("the chain proxy", () => {
  it("forwards every call with bitcoind's credentials and returns bitcoind's answer unchanged", async () => {
    const { proxy, state, alice } = await setup();
    expect(alice.rpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(alice.rpcPassword).not.toBe("secret");
    const answer = await rpc(alice, "getblockheader");
    expect(answer.body).toEqual({ result: { echo: "getblockheader" }, error: null, id: 1 });
    const failed = await rpc(alice, "fail");
    expect([failed.status, failed.body.error]).toEqual([500, { code: -1, message: "it failed" }]);
    expect(state.calls.map((c) => c.auth)).toEqual(
      Array(2).fill(`Basic ${Buffer.from("core:secret").toString("base64")}`),
    );
    expect(proxy.stats.forwarded).toBe(2);
  });

  it("refuses a node without its own credentials, before anything reaches bitcoind", async () => {
    const { state, alice, bob } = await setup();
    const wrong = `Basic ${Buffer.from(`${alice.rpcUser}:${bob.rpcPassword}`).toString("base64")}`;
    expect((await rpc(alice, "getblockheader", wrong)).status).toBe(401);
    expect((await rpc(alice, "getblockheader", "Basic bm9ib2R5OnNlY3JldA==")).status).toBe(401);
    expect(state.calls).toEqual([]);
  });

  it("answers a node's first two polls at once, and holds the next while the tip is the one it has", async () => {
    const { proxy, alice } = await setup({ holdMs: 400 });
    await started(alice);
    const second = await rpc(alice, "getblockchaininfo");
    expect(second.ms).toBeGreaterThanOrEqual(390); // held to the end of its hold, then answered normally
    expect(second.body.result).toEqual({ chain: "regtest", bestblockhash: "aa" });
    expect(proxy.stats).toMatchObject({ held: 1, heldTimedOut: 1 });
  });

  it("answers held polls with the new tip as soon as the harness has mined", async () => {
    const { proxy, state, alice, bob } = await setup({ holdMs: 5000 });
    await Promise.all([started(alice), started(bob)]);
    const held = Promise.all([rpc(alice, "getblockchaininfo"), rpc(bob, "getblockchaininfo")]);
    await new Promise((r) => setTimeout(r, 100));
    state.tip = "bb";
    proxy.released();
    const answers = await held;
    expect(answers.map((a) => (a.body.result as { bestblockhash: string }).bestblockhash)).toEqual([
      "bb",
      "bb",
    ]);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(1000);
    expect(proxy.stats.releasedOnMine).toBe(2);
  });

  it("answers every held poll when a node broadcasts a transaction, not on another node's other calls", async () => {
    const { proxy, alice, bob } = await setup({ holdMs: 5000 });
    await Promise.all([started(alice), started(bob)]);
    const held = rpc(alice, "getblockchaininfo");
    await new Promise((r) => setTimeout(r, 100));
    await rpc(bob, "getblockheader"); // changes no mempool: alice stays held
    expect(proxy.stats.held).toBe(1);
    expect(proxy.stats.releasedOnBroadcast).toBe(0);
    await rpc(bob, "sendrawtransaction");
    const answer = await held;
    expect(answer.ms).toBeLessThan(1500);
    expect(proxy.stats.releasedOnBroadcast).toBe(1);
  });

  it("releases a tip moved by someone else once it has been still for a moment", async () => {
    const { proxy, state, alice } = await setup({ holdMs: 5000 });
    await started(alice);
    const held = rpc(alice, "getblockchaininfo");
    await new Promise((r) => setTimeout(r, 100));
    state.tip = "cc"; // e.g. a user's bitcoin-cli generatetoaddress
    const answer = await held;
    expect((answer.body.result as { bestblockhash: string }).bestblockhash).toBe("cc");
    expect(answer.ms).toBeLessThan(1500);
    expect(proxy.stats.releasedOnTip).toBe(1);
  });

  it("holds at most maxHeld polls; the others are answered at once", async () => {
    const { proxy, alice, bob } = await setup({ holdMs: 300, maxHeld: 1 });
    await Promise.all([started(alice), started(bob)]);
    const [a, b] = await Promise.all([rpc(alice, "getblockchaininfo"), rpc(bob, "getblockchaininfo")]);
    expect([a.ms >= 290, b.ms >= 290].sort()).toEqual([false, true]);
    expect(proxy.stats.held).toBe(1);
  });

  it("says bitcoind is unreachable as a JSON-RPC error the node retries", async () => {
    const { proxy, server, alice } = await setup();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const answer = await rpc(alice, "getblockheader");
    expect(answer.status).toBe(503);
    expect(answer.body.error).toMatchObject({
      code: -28,
      message: expect.stringMatching(/bitcoind unreachable/),
    });
    expect(proxy.stats.forwarded).toBe(1);
  });

  it("answers a held poll at once when the node pipelines another call behind it", async () => {
    const { proxy, alice } = await setup({ holdMs: 5000 });
    // ldk-node pipelines every call on one connection: a poll, then (say) a gossip UTXO lookup.
    const auth = Buffer.from(`${alice.rpcUser}:${alice.rpcPassword}`).toString("base64");
    const call = (method: string) => {
      const body = JSON.stringify({ jsonrpc: "1.0", id: 1, method, params: [] });
      return `POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic ${auth}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    };
    const [host, port] = alice.rpcAddress.split(":");
    const socket = connect(Number(port), host);
    let received = "";
    socket.on("data", (c) => {
      received += c;
    });
    const answers = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () =>
          (received.match(/HTTP\/1\.1 200/g) ?? []).length >= n ? resolve() : setTimeout(check, 5);
        check();
      });
    socket.write(call("getblockchaininfo") + call("getblockchaininfo"));
    await answers(2); // a start's two polls, never held
    const started = Date.now();
    socket.write(call("getblockchaininfo"));
    await new Promise((r) => setTimeout(r, 100)); // held by now
    socket.write(call("gettxout"));
    await answers(4);
    socket.destroy();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(received).toContain('"echo":"gettxout"');
    expect(proxy.stats).toMatchObject({ held: 1, releasedOnCall: 1 });
  });

  it("refuses a body over its limit without forwarding it", async () => {
    const { proxy, state, alice } = await setup({ maxBodyBytes: 64 });
    expect((await rpc(alice, "x".repeat(100)).catch(() => ({ status: 413 }))).status).toBe(413);
    expect(state.calls).toEqual([]);
    expect(proxy.stats.forwarded).toBe(0);
  });

  it("answers what it holds when stopped", async () => {
    const { proxy, alice } = await setup({ holdMs: 10_000 });
    await started(alice);
    const held = rpc(alice, "getblockchaininfo");
    await new Promise((r) => setTimeout(r, 100));
    await proxy.stop();
    const answer = await held.catch((e: Error) => e);
    // Answered (with bitcoind's fresh answer) or cut off by the close: never left hanging.
    expect(answer instanceof Error || (answer as { ms: number }).ms < 2000).toBe(true);
  });

  it("reads the method of a single request only", () => {
    expect(methodOf(Buffer.from('{"method":"getblockchaininfo","id":1}'))).toBe("getblockchaininfo");
    expect(methodOf(Buffer.from('[{"method":"getblockchaininfo"}]'))).toBeUndefined();
    expect(methodOf(Buffer.from("not json"))).toBeUndefined();
  });
});
