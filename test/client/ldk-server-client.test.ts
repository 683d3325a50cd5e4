import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { LdkServerClient } from "../../src/client/ldk-server-client.js";
import { selfSignedCert } from "../support/tls-fixture.js";

const { cert } = selfSignedCert();
const KEY = "0f".repeat(32);
const client = (apiKey: string) => new LdkServerClient({ address: "127.0.0.1:1", apiKey, certificate: cert });

describe("LdkServerClient", () => {
  it.each([
    ["upper-case hex", "0F".repeat(32), /64 hex characters, but not all lowercase/],
    ["the raw file read as text", "x".repeat(32), /got 32 characters, not all hex/],
    ["a key with a newline", `${KEY}\n`, /got 65 characters/],
  ])("refuses %s before any call, without echoing the key", (_what, apiKey, reason) => {
    expect(() => client(apiKey)).toThrow(reason);
    expect(() => client(apiKey)).toThrow(/use LdkServerClient.fromStorageDir/);
    expect(() => client(apiKey)).toThrow(
      expect.objectContaining({ code: "BAD_OPTION", data: { option: "apiKey" } }),
    );
    try {
      client(apiKey);
    } catch (error) {
      expect((error as Error).message).not.toContain(apiKey.trim());
    }
  });

  it("keeps the API key out of util.inspect and JSON.stringify", () => {
    const c = client(KEY);
    expect(inspect(c, { depth: Number.POSITIVE_INFINITY, showHidden: true })).not.toContain(KEY);
    expect(JSON.stringify(c)).not.toContain(KEY);
  });
});
