import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeader } from "../../../src/client/auth/hmac.js";
import { LdkServerError } from "../../../src/client/ldk-server-error.js";
import { FrameDecoder, frameMessage } from "../../../src/client/transport/grpc-frame.js";
import { Http2Transport } from "../../../src/client/transport/http2-transport.js";
import { selfSignedCert } from "../../support/tls-fixture.js";

// A local HTTP/2 server that behaves like ldk-server's gRPC layer: verifies x-auth over the exact body,
// answers errors as Trailers-Only, success as DATA + trailers, and streams frames for /Stream.
const KEY = "ab".repeat(32);
const tls = selfSignedCert();
let server: http2.Http2SecureServer;
let address = "";
let sessions = 0;

beforeAll(async () => {
  server = http2.createSecureServer({ ...tls, allowHTTP1: false });
  server.on("session", () => sessions++);
  server.on("stream", (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const body = Buffer.concat(chunks);
      const [, ts] = /^HMAC (\d+):/.exec(String(headers["x-auth"])) ?? [];
      const method = String(headers[":path"]).split("/").pop();
      if (authHeader(KEY, body, Number(ts)) !== headers["x-auth"]) {
        return trailersOnly(stream, 16, "Invalid HMAC in x-auth");
      }
      if (method === "Fail") return trailersOnly(stream, 9, "Insufficient%20funds%3A%20need%20%E2%82%BF1");
      if (method === "Slow") return; // never answers
      if (method === "Stream") {
        stream.respond(
          { ":status": 200, "content-type": "application/grpc+proto" },
          { waitForTrailers: true },
        );
        stream.on("wantTrailers", () =>
          stream.sendTrailers({ "grpc-status": "14", "grpc-message": "server shutting down" }),
        );
        stream.write(
          Buffer.concat([frameMessage(Buffer.from("one")), frameMessage(Buffer.from("two")).subarray(0, 4)]),
        );
        setTimeout(() => stream.end(Buffer.from(frameMessage(Buffer.from("two")).subarray(4))), 20);
        return;
      }
      // Echo the request payload back, to prove the framing round-trips.
      const payload = new FrameDecoder().push(body)[0] ?? new Uint8Array();
      stream.respond({ ":status": 200, "content-type": "application/grpc+proto" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(Buffer.from(frameMessage(payload)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function trailersOnly(stream: http2.ServerHttp2Stream, code: number, message: string) {
  stream.respond(
    { ":status": 200, "grpc-status": String(code), "grpc-message": message },
    { endStream: true },
  );
}

const transport = (overrides: Partial<ConstructorParameters<typeof Http2Transport>[0]> = {}) =>
  new Http2Transport({
    address,
    certificate: tls.cert,
    certificateSource: "test.crt",
    apiKeyHex: KEY,
    ...overrides,
  });

describe("Http2Transport", () => {
  it("sends a signed framed request and returns the unframed reply, all calls over one connection", async () => {
    const t = transport();
    const before = sessions;
    expect(Buffer.from(await t.unary("/api.LightningNode/Echo", Buffer.from("hello"))).toString()).toBe(
      "hello",
    );
    expect((await t.unary("/api.LightningNode/Echo", new Uint8Array())).length).toBe(0);
    await Promise.all([1, 2, 3].map((n) => t.unary("/api.LightningNode/Echo", Buffer.from([n]))));
    expect(sessions - before).toBe(1);
    await t.close();
  });

  it("turns a Trailers-Only error into LdkServerError with code name and decoded message", async () => {
    const t = transport();
    const error = await t.unary("/api.LightningNode/Fail", new Uint8Array()).catch((e) => e);
    expect(error).toBeInstanceOf(LdkServerError);
    expect(error).toMatchObject({ method: "Fail", code: 9, codeName: "FAILED_PRECONDITION" });
    expect(error.grpcMessage).toBe("Insufficient funds: need ₿1");
    await t.close();
  });

  it("explains UNAUTHENTICATED as a wrong key or clock", async () => {
    const t = transport({ apiKeyHex: "cd".repeat(32) });
    await expect(t.unary("/api.LightningNode/Echo", new Uint8Array())).rejects.toThrow(
      /UNAUTHENTICATED: Invalid HMAC in x-auth — the API key is not this node's .* clock/,
    );
    await t.close();
  });

  it("refuses a server whose certificate is not the pinned one, naming the expected one", async () => {
    const other = selfSignedCert();
    const t = transport({ certificate: other.cert, certificateSource: "/nodes/bob/tls.crt" });
    const error = await t.unary("/api.LightningNode/Echo", new Uint8Array()).catch((e) => e);
    expect(error).toBeInstanceOf(LdkServerError);
    expect(error.codeName).toBe("UNAVAILABLE");
    expect(error.message).toMatch(
      /TLS handshake .* failed .*expected the certificate from \/nodes\/bob\/tls.crt/,
    );
    await t.close();
  });

  it("enforces the deadline and sends grpc-timeout", async () => {
    const t = transport();
    await expect(
      t.unary("/api.LightningNode/Slow", new Uint8Array(), { timeoutMs: 100 }),
    ).rejects.toMatchObject({
      codeName: "DEADLINE_EXCEEDED",
    });
    await t.close();
  });

  it("honours an AbortSignal", async () => {
    const t = transport();
    const controller = new AbortController();
    const call = t.unary("/api.LightningNode/Slow", new Uint8Array(), { signal: controller.signal });
    setTimeout(() => controller.abort("user gave up"), 50);
    await expect(call).rejects.toMatchObject({ codeName: "CANCELLED" });
    await t.close();
  });

  it("streams frames split across DATA chunks and ends with the trailer status", async () => {
    const t = transport();
    const stream = t.serverStream("/api.LightningNode/Stream", new Uint8Array());
    await stream.ready;
    const received: string[] = [];
    const error = await (async () => {
      for await (const m of stream) received.push(Buffer.from(m).toString());
    })().catch((e) => e);
    expect(received).toEqual(["one", "two"]);
    expect(error).toMatchObject({ codeName: "UNAVAILABLE", grpcMessage: "server shutting down" });
    await t.close();
  });

  it("reports connection refused with the address it dialled", async () => {
    const t = transport({ address: "127.0.0.1:1" });
    await expect(t.unary("/api.LightningNode/Echo", new Uint8Array())).rejects.toThrow(
      /cannot connect to 127.0.0.1:1 \(connection refused\)/,
    );
    await t.close();
  });
});
