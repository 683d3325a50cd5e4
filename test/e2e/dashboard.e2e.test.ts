import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFundSats } from "../../src/devnet/args.js";
import { CHROMIUM, NO_CHROMIUM } from "../support/chromium.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { devnetCli } from "../support/devnet-cli.js";

const daemons = await detectDaemons();
if (!CHROMIUM) console.warn(`\n!!! dashboard E2E SKIPPED: ${NO_CHROMIUM}`);
const ready = daemons.ok && CHROMIUM !== undefined;
const title = CHROMIUM
  ? e2eTitle("the dashboard in headless Chromium on a real dev network", daemons)
  : `the dashboard in headless Chromium — SKIPPED: ${NO_CHROMIUM}`;
/** Where the test leaves its screenshot (docs/dashboard.png, shown in docs/dev-network.md, is one of these). */
const SCREENSHOT = process.env.DASHBOARD_SCREENSHOT ?? path.join(tmpdir(), "dashboard-e2e.png");

/** fetch() cannot set Host: a plain request can. */
function getWithHost(url: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    })
      .on("error", reject)
      .end();
  });
}

const TOPOLOGY = `
[nodes.alice]
onchain_sats = 1_500_000
[nodes.bob]
onchain_sats = 600_000
[nodes.carol]

[[channels]]
from = "alice"
to = "bob"
sats = 500_000
push_sats = 100_000

[[channels]]
from = "bob"
to = "carol"
sats = 300_000
`;

describe.skipIf(!ready)(title, () => {
  let dir = "";
  let browser: Browser | undefined;
  let page: Page;
  let url = "";
  let nodeIds: Record<string, string> = {};
  /** The CLI, as a user runs it; its one JSON object. */
  const cli = async (...args: string[]) => (await devnetCli(dir, ...args)).json;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-dashboard-"));
    await writeFile(path.join(dir, "topology.toml"), TOPOLOGY);
    const up = await cli("up", "--detach", "--ui", "--topology", path.join(dir, "topology.toml"));
    url = up.ui;
    nodeIds = Object.fromEntries(
      Object.entries(up.nodes as Record<string, { nodeId: string }>).map(([n, v]) => [n, v.nodeId]),
    );
    expect((await cli("ui")).url).toBe(url); // started once: a later `ui` gets the same page
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await cli("down").catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  const channel = () => page.locator('g.channel[data-from="alice"][data-to="bob"]');

  it("shows every node and every channel, with its liquidity split", async () => {
    await expect.poll(() => page.locator("article[data-node]").count()).toBe(3);
    for (const name of ["alice", "bob", "carol"]) {
      const card = page.locator(`article[data-node="${name}"]`);
      await expect.poll(() => card.textContent()).toContain(nodeIds[name]);
      expect(await card.textContent()).toContain("ldk-server");
    }
    await expect.poll(() => page.locator("g.channel").count()).toBe(2);
    expect(await channel().getAttribute("data-usable")).toBe("true");
    // bob's side: the 100,000 sat pushed, less what he keeps in reserve
    const bobMsat = Number(await channel().getAttribute("data-to-msat"));
    expect(bobMsat).toBeGreaterThan(90_000_000);
    expect(bobMsat).toBeLessThanOrEqual(100_000_000);
  });

  it('"mine 1" raises the block height', async () => {
    const before = Number(await page.locator("#height").textContent());
    await page.fill("#mine-blocks", "1");
    await page.click("#mine button");
    await expect
      .poll(() => page.locator("#mine-out").textContent(), { timeout: 30_000 }) // the nodes sync it first
      .toBe(`mined 1: height ${before + 1}`);
    await expect.poll(async () => Number(await page.locator("#height").textContent())).toBe(before + 1);
  });

  it("an invoice paid through the form reaches SUCCEEDED and the drawn liquidity moves", async () => {
    const before = Number(await channel().getAttribute("data-from-msat"));
    await page.selectOption("#pay-payee", "bob");
    await page.selectOption("#pay-payer", "alice");
    await page.fill("#pay-amount", "20000sat");
    await page.click("#pay button");
    await expect
      .poll(() => page.locator("#pay-out").textContent(), { timeout: 60_000 })
      .toMatch(/^SUCCEEDED: alice paid bob 20000sat/);
    await expect
      .poll(async () => Number(await channel().getAttribute("data-from-msat")), { timeout: 10_000 })
      .toBeLessThanOrEqual(before - 20_000_000);
    await expect
      .poll(() => page.locator('article[data-node="bob"]').textContent())
      .toContain("inbound 20,000 sat succeeded");
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`dashboard screenshot: ${SCREENSHOT}`);
  });

  it("a refused action shows the CLI's own message", async () => {
    const message = (() => {
      try {
        parseFundSats(1);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    await page.selectOption("#fund-node", "carol");
    await page.fill("#fund-sats", "1");
    await page.click("#fund button");
    await expect.poll(() => page.locator("#fund-out").textContent()).toBe(`✖ ${message}`);
  });

  it("refuses a request without the token, with another token, another Host or another Origin", async () => {
    const { origin, pathname } = new URL(url);
    const get = (target: string, headers: Record<string, string> = {}) =>
      fetch(target, { headers }).then((r) => r.status);
    expect(await get(`${origin}/`)).toBe(403);
    expect(await get(`${origin}/api/events`)).toBe(403);
    expect(await get(`${origin}/${"x".repeat(32)}/`)).toBe(403);
    expect(await getWithHost(url, "evil.example")).toBe(403); // a DNS-rebinding page's Host
    const post = await fetch(`${url}api/op`, {
      method: "POST",
      headers: { origin: "http://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ op: "mine", args: { blocks: 1 } }),
    });
    expect(post.status).toBe(403);
    const good = await fetch(url);
    expect(good.status).toBe(200);
    expect(good.headers.get("access-control-allow-origin")).toBeNull();
    // and from a page of another origin, the browser itself cannot read the dashboard
    const other = await browser?.newPage();
    await other?.goto("data:text/html,<p>another origin</p>");
    const read = await other?.evaluate(
      (target) =>
        fetch(target)
          .then((r) => r.text())
          .catch((error: Error) => `refused: ${error.name}`),
      `${origin}${pathname}`,
    );
    expect(read).toMatch(/^refused/);
  });

  it("funds a node, opens a channel and closes it through the forms", async () => {
    const slow = { timeout: 120_000 }; // each waits on-chain: confirmations, then both sides usable
    await page.selectOption("#fund-node", "carol");
    await page.fill("#fund-sats", "200000");
    await page.click("#fund button");
    await expect
      .poll(() => page.locator("#fund-out").textContent(), slow)
      .toMatch(/^sent 200000 sat to carol/);
    await page.selectOption("#open-from", "carol");
    await page.selectOption("#open-to", "alice");
    await page.fill("#open-sats", "100000");
    await page.click("#open button");
    await expect
      .poll(() => page.locator("#open-out").textContent(), slow)
      .toMatch(/^opened carol → alice 100000 sat/);
    const opened = page.locator('g.channel[data-from="carol"][data-to="alice"]');
    await expect.poll(() => opened.count()).toBe(1);
    await page.selectOption("#close-from", "carol");
    await page.selectOption("#close-to", "alice");
    await page.click("#close button");
    await expect
      .poll(() => page.locator("#close-out").textContent(), slow)
      .toMatch(/^closed carol → alice .*: CLOSED$/);
    await expect.poll(() => opened.count()).toBe(0);
    await expect.poll(() => page.locator("g.channel").count()).toBe(2);
  });

  it("stops with the network", async () => {
    await cli("down");
    await expect(fetch(url)).rejects.toThrow(); // nothing listens there any more
  });
});
