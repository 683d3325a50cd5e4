import { createServer } from "node:net";
import { defaultTimeout } from "../common/durations.js";
import { LdkRegtestError } from "../common/errors.js";

// Ports handed out recently by this process. The kernel may give the same ephemeral port to two probes
// once the first is closed, and nodes starting in parallel probe at the same time.
const recentlyIssued = new Map<number, number>();

function probe(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new LdkRegtestError("UNEXPECTED", "could not read the port of a probe socket"));
      });
    });
  });
}

/** A port the kernel just handed out on 127.0.0.1, not issued by us in the last minute; see port-retry. */
export async function freePort(): Promise<number> {
  const now = Date.now();
  const reissueAfterMs = defaultTimeout("portReissue");
  for (const [port, at] of recentlyIssued) if (now - at > reissueAfterMs) recentlyIssued.delete(port);
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
