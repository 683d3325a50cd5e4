import { createServer } from "node:net";

// Ports handed out recently by this process. The kernel may give the same ephemeral port to two probes
// once the first is closed, and nodes starting in parallel probe at the same time.
const recentlyIssued = new Map<number, number>();
const REISSUE_AFTER_MS = 60_000;

function probe(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not read the port of a probe socket"));
      });
    });
  });
}

/** A port the kernel just handed out on 127.0.0.1, not issued by us in the last minute; see port-retry. */
export async function freePort(): Promise<number> {
  const now = Date.now();
  for (const [port, at] of recentlyIssued) if (now - at > REISSUE_AFTER_MS) recentlyIssued.delete(port);
  for (;;) {
    const port = await probe();
    if (!recentlyIssued.has(port)) {
      recentlyIssued.set(port, now);
      return port;
    }
  }
}

/** `count` distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await freePort());
  return ports;
}
