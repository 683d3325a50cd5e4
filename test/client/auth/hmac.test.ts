import { describe, expect, it } from "vitest";
import { apiKeyFromFile, authHeader } from "../../../src/client/auth/hmac.js";
import { frameMessage } from "../../../src/client/transport/grpc-frame.js";

// Vectors from shared/ldk-server-facts.md §3: key file bytes 00..1f, ts 2026-01-01T00:00:00Z.
const keyHex = apiKeyFromFile(Uint8Array.from({ length: 32 }, (_, i) => i));
const ts = 1767225600;

describe("authHeader", () => {
  it("signs an empty GetNodeInfo frame with the hex key's ASCII bytes", () => {
    expect(keyHex).toBe("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    expect(authHeader(keyHex, frameMessage(new Uint8Array()), ts)).toBe(
      "HMAC 1767225600:d5d82e5210cc0e2c38dea1a08a2d4f7b62b745e45aeeed09611ce8f22f431f05",
    );
  });

  it("covers the framed GetPaymentDetails body, header included", () => {
    const payload = Buffer.concat([Buffer.from([0x0a, 0x40]), Buffer.from("a".repeat(64))]);
    const framed = frameMessage(payload);
    expect(framed.length).toBe(71);
    expect(Buffer.from(framed.subarray(0, 8)).toString("hex")).toBe("0000000042" + "0a4061");
    expect(authHeader(keyHex, framed, ts)).toBe(
      "HMAC 1767225600:6e053174bddc8dd8345f4655a0bed7165833342e141e3e8776ce3122eba019ec",
    );
  });

  it("changes when the body or the timestamp changes", () => {
    const body = frameMessage(new Uint8Array([1]));
    const base = authHeader(keyHex, body, ts);
    expect(authHeader(keyHex, frameMessage(new Uint8Array([2])), ts)).not.toBe(base);
    expect(authHeader(keyHex, body, ts + 1)).not.toBe(base);
  });
});

describe("apiKeyFromFile", () => {
  it("rejects a file that is not 32 raw bytes", () => {
    expect(() => apiKeyFromFile(Buffer.from("not-a-key"))).toThrow(/9 bytes, expected 32/);
  });
});
