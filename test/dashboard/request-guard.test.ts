import type { IncomingMessage } from "node:http";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { RequestGuard } from "../../src/dashboard/request-guard.js";

const guard = new RequestGuard(4321);
const token = new URL(guard.url()).pathname.split("/")[1] as string;
const req = (url: string, headers: Record<string, string> = {}) =>
  ({ url, headers: { host: "127.0.0.1:4321", ...headers } }) as unknown as IncomingMessage;

describe("RequestGuard", () => {
  it("hands out a loopback URL with a fresh token per guard", () => {
    expect(guard.url()).toMatch(/^http:\/\/127\.0\.0\.1:4321\/[A-Za-z0-9_-]{32}\/$/);
    expect(new RequestGuard(4321).url()).not.toBe(guard.url());
  });

  it("lets in the token's paths, from our own host and origin", () => {
    expect(guard.check(req(`/${token}/`))).toBe("/");
    expect(guard.check(req(`/${token}`))).toBe(""); // redirected to /<token>/
    expect(guard.check(req(`/${token}/app.js?x=1`))).toBe("/app.js");
    expect(guard.check(req(`/${token}/api/op`, { origin: "http://127.0.0.1:4321" }))).toBe("/api/op");
    expect(guard.check(req(`/${token}/`, { host: "localhost:4321", "sec-fetch-site": "same-origin" }))).toBe(
      "/",
    );
  });

  it.each([
    ["no token", req("/")],
    ["another token", req(`/${token.slice(1)}x/`)],
    ["the token in the query", req(`/?token=${token}`)],
    ["another Host (DNS rebinding)", req(`/${token}/`, { host: "evil.example:4321" })],
    ["another port", req(`/${token}/`, { host: "127.0.0.1:80" })],
    ["another Origin", req(`/${token}/api/op`, { origin: "http://evil.example" })],
    ["a cross-site fetch", req(`/${token}/api/op`, { "sec-fetch-site": "cross-site" })],
  ])("refuses %s", (_, request) => {
    expect(guard.check(request)).toBeUndefined();
  });

  it("keeps the token out of inspect and JSON", () => {
    expect(inspect(guard, { showHidden: true, depth: 5 })).not.toContain(token);
    expect(JSON.stringify(guard)).not.toContain(token);
  });
});
