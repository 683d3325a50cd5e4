import { statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Launch, ManagedDaemon, type PortPicker } from "../../src/daemon/managed-daemon.js";
import { untilProbeAnswers } from "../../src/daemon/wait-strategy.js";
import { freePorts } from "../../src/processes/free-port.js";

// A stand-in daemon: an HTTP server on the port of its config, or bitcoind's words when the port is taken.
const SCRIPT = `
const fs = require("node:fs");
const port = Number(fs.readFileSync(process.argv[1], "utf8").split("=")[1]);
require("node:http").createServer((_, res) => res.end("ok"))
  .on("error", () => { console.error("Error: Unable to bind to 127.0.0.1:" + port); process.exit(1); })
  .listen(port, "127.0.0.1");
`;

class FakeDaemon extends ManagedDaemon {
  protected readonly readiness = untilProbeAnswers("fake to answer", async (signal) => {
    const res = await fetch(`http://127.0.0.1:${this.port("http")}`, { signal });
    return res.ok ? true : undefined;
  });

  private constructor(
    private readonly dir: string,
    pickPorts: PortPicker,
    restartOnSamePorts: boolean,
  ) {
    super({
      name: "fake",
      executable: process.execPath,
      logPath: path.join(dir, "fake.log"),
      consolePath: path.join(dir, "console.log"),
      ports: ["http"],
      pickPorts,
      restartOnSamePorts,
      readyTimeoutMs: 10_000,
      errorData: { daemon: "fake" },
    });
  }

  get configPath(): string {
    return path.join(this.dir, "fake.conf");
  }

  static async start(dir: string, pickPorts: PortPicker, restartOnSamePorts = false): Promise<FakeDaemon> {
    const daemon = new FakeDaemon(dir, pickPorts, restartOnSamePorts);
    await daemon.startDaemon();
    return daemon;
  }

  protected launch({ http = 0 }: Readonly<Record<string, number>>): Launch {
    return { config: { path: this.configPath, text: `port=${http}` }, args: ["-e", SCRIPT, this.configPath] };
  }
}

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-managed-"));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Holds a port, as another program would (answering, but not as the daemon: 503). */
async function occupy(port: number): Promise<Server> {
  const server = createServer((_, res) => {
    res.statusCode = 503;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  return server;
}

describe("ManagedDaemon", () => {
  it("retries on new ports when the daemon says its port is taken; the config is written 0600", async () => {
    const [taken = 0, free = 0] = await freePorts(2);
    await occupy(taken);
    const batches = [[taken], [free]];
    const daemon = await FakeDaemon.start(await tempDir(), async () => batches.shift() ?? []);
    cleanup.push(() => daemon.stop());
    expect(daemon.portNumbers).toEqual([free]);
    expect(statSync(daemon.configPath).mode & 0o777).toBe(0o600);
    expect(await readFile(daemon.consolePath, "utf8")).toMatch(/Unable to bind/);
  });

  it("restarts on the same port, as a new process", async () => {
    const daemon = await FakeDaemon.start(await tempDir(), freePorts);
    cleanup.push(() => daemon.stop());
    const [ports, pid] = [daemon.portNumbers, daemon.pid];
    await daemon.restart();
    expect(daemon.portNumbers).toEqual(ports);
    expect(daemon.pid).not.toBe(pid);
    expect(daemon.exitInfo).toBeUndefined();
  });

  it("with restartOnSamePorts, a taken port fails the restart with PORT_IN_USE and leaves nothing running", async () => {
    const daemon = await FakeDaemon.start(await tempDir(), freePorts, true);
    cleanup.push(() => daemon.stop());
    const [port = 0] = daemon.portNumbers;
    await daemon.stop();
    await occupy(port);
    const error = await daemon.restart().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PORT_IN_USE", data: { daemon: "fake", ports: [port] } });
    expect(daemon.exitInfo).toBeDefined();
  });
});
