import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { LdkRegtestError } from "../../src/common/errors.js";
import { ViewFeed } from "../../src/dashboard/view-feed.js";

/** A feed served on 127.0.0.1, its snapshot `view()`, counting calls. */
async function serve(view: () => unknown, intervalMs = 20) {
  let calls = 0;
  const feed = new ViewFeed(async () => {
    calls++;
    return view();
  }, intervalMs);
  const server: Server = createServer((req, res) => feed.subscribe(req, res, {}));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  servers.push({ server, feed });
  return { feed, url: `http://127.0.0.1:${port}/`, calls: () => calls };
}
const servers: { server: Server; feed: ViewFeed }[] = [];
afterEach(() => {
  for (const { server, feed } of servers.splice(0)) {
    feed.close();
    server.closeAllConnections();
    server.close();
  }
});

/** Reads events from `url` until `count` arrived; then disconnects. */
async function events(url: string, count: number): Promise<string[]> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let text = "";
  while (text.split("\n\n").length - 1 < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString();
  }
  controller.abort();
  return text.split("\n\n").slice(0, count);
}

describe("ViewFeed", () => {
  it("sends a snapshot when a page opens, then only changes", async () => {
    let height = 1;
    const { url } = await serve(() => ({ height }));
    const got = events(url, 2);
    setTimeout(() => (height = 2), 100); // several polls see 1 before it changes
    expect(await got).toEqual(['data: {"height":1}', 'data: {"height":2}']);
  });

  it("takes no snapshot while no page is open", async () => {
    const { calls, feed } = await serve(() => ({ height: 1 }));
    feed.refresh();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls()).toBe(0);
  });

  it("stops polling when the last page goes, and starts again for the next", async () => {
    const { url, calls } = await serve(() => ({ height: 1 }));
    await events(url, 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = calls();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls()).toBe(after);
    expect(await events(url, 1)).toEqual(['data: {"height":1}']);
  });

  it("sends a failed snapshot as a failure event with the error's code and message", async () => {
    const { url } = await serve(() => {
      throw new LdkRegtestError("NOT_RUNNING", "bitcoind is down");
    });
    const [event] = await events(url, 1);
    expect(event).toMatch(/^event: failure\ndata: \{"code":"NOT_RUNNING","message":"bitcoind is down"/);
  });
});
