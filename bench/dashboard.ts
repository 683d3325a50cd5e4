/**
 * The dashboard on a 3-node dev network in headless Chromium (Debian's; CHROMIUM_EXE to override):
 * page load (navigation to every node and channel drawn), update latency (a block mined outside the
 * page until the page shows its height; a "mine 1" clicked until the page shows it), the time of one
 * snapshot of the view, and this process's memory (it is the supervisor) before the dashboard and with
 * a page open. Prints one JSON object. Usage: npm run bench:dashboard -- [rounds, default 10]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { startDashboard } from "../src/dashboard/dashboard-server.js";
import { networkView } from "../src/dashboard/network-view.js";
import { devnetOperations } from "../src/devnet/operations.js";
import { askSupervisor, Supervisor } from "../src/devnet/supervisor.js";
import { summary } from "./stats.js";

const rounds = Number(process.argv[2] ?? 10);
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const memory = () => ({
  rssMiB: mib(process.memoryUsage().rss),
  heapMiB: mib(process.memoryUsage().heapUsed),
});
const dir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-bench-dashboard-"));
const supervisor = await Supervisor.start({
  dir,
  ui: startDashboard,
  topology: {
    nodes: { alice: { onchain_sats: 1_500_000 }, bob: { onchain_sats: 600_000 }, carol: {} },
    channels: [
      { from: "alice", to: "bob", sats: 500_000, push_sats: 100_000 },
      { from: "bob", to: "carol", sats: 300_000 },
    ],
  },
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_EXE ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
try {
  const net = supervisor.network;
  const beforeUi = memory();
  const { url } = await askSupervisor(dir, "ui", undefined);
  const page = await browser.newPage();
  const loads: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await page.goto(url);
    await page.locator("g.channel").nth(1).waitFor();
    await page.locator("article[data-node]").nth(2).waitFor();
    loads.push(performance.now() - t0);
  }
  /** Until the page shows block height `h`. */
  const shows = (h: number) =>
    page
      .locator("#height")
      .filter({ hasText: new RegExp(`^${h}$`) })
      .waitFor();
  const height = async () => Number(await page.locator("#height").textContent());
  const external: number[] = [];
  const clicked: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const target = (await height()) + 1;
    await net.bitcoind.generate(1);
    const t0 = performance.now();
    await shows(target);
    external.push(performance.now() - t0);
    const t1 = performance.now();
    await page.click("#mine button");
    await shows(target + 1);
    clicked.push(performance.now() - t1);
  }
  const operations = devnetOperations(net);
  const snapshots: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await networkView(net, operations);
    snapshots.push(performance.now() - t0);
  }
  const round = (values: number[]) => summary(values.map(Math.round));
  const withPage = memory();
  console.log(
    JSON.stringify({
      rounds,
      pageLoadMs: round(loads),
      blockToPageMs: round(external),
      mineClickToPageMs: round(clicked),
      snapshotMs: round(snapshots),
      supervisor: { beforeDashboard: beforeUi, withPageOpen: withPage },
      note: "2-core machine shared with other engineers' test runs: timings are indicative only",
    }),
  );
} finally {
  await browser.close();
  await supervisor.stop();
  await rm(dir, { recursive: true, force: true });
}
