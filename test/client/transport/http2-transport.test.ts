import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeader } from "../../../src/client/auth/hmac.js";
import { LdkServerError } from "../../../src/client/ldk-server-error.js";
import { FrameDecoder, frameMessage } from "../../../src/client/transport/grpc-frame.js";
import { GrpcCode } from "../../../src/client/transport/grpc-status.js";
import { Http2Transport } from "../../../src/client/transport/http2-transport.js";
import { LdkRegtestError } from "../../../src/common/errors.js";
import { waitFor } from "../../../src/waits/wait-for.js";
import { selfSignedCert } from "../../support/tls-fixture.js";

// A local HTTP/2 server that behaves like ldk-server's gRPC layer: verifies x-auth over the exact body,
// answers errors as Trailers-Only, success as DATA + trailers, and streams frames for /Stream.
const KEY = "ab".repeat(32);
const tls = selfSignedCert();
let server: http2.Http2SecureServer;
let address = "";
let sessions = 0;
const openSessions = new Set<http2.ServerHttp2Session>();
let lastTimeoutHeader: string | undefined;
let floodWritten = 0;
let endlessStopped = false;

const GRPC_OK = { ":status": 200, "content-type": "application/grpc+proto" };

/** Misbehaving replies, by method name: what a proxy or a broken server might send. */
const FAULTS: Record<string, (stream: http2.ServerHttp2Stream) => void> = {
  NotFound: (stream) => {
    stream.respond({ ":status": 404, "content-type": "text/html" });
    stream.end("<html><body>404 page not found</body></html>");
  },
  BadGateway: (stream) => {
    stream.respond({ ":status": 502 });
    stream.end("bad gateway");
  },
  Html200: (stream) => {
    stream.respond({ ":status": 200, "content-type": "text/html" });
    stream.end("<html>hello</html>");
  },
  Compressed: (stream) => {
    stream.respond(GRPC_OK, { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    stream.end(Buffer.from([1, 0, 0, 0, 1, 42]));
  },
  TwoReplies: (stream) => {
    stream.respond(GRPC_OK, { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    stream.end(Buffer.concat([frameMessage(Buffer.from("a")), frameMessage(Buffer.from("b"))]));
  },
  EndlessEmpty: (stream) => {
    stream.respond(GRPC_OK);
    const empty = Buffer.alloc(5);
    const more = () => {
      for (let i = 0; i < 1000; i++) {
        if (stream.destroyed || stream.closed) return; // "close" records the stop
        if (!stream.write(empty)) return void stream.once("drain", more);
      }
      setImmediate(more);
    };
    stream.on("close", () => {
      endlessStopped = true;
    });
    more();
  },
  NoStatus: (stream) => {
    stream.respond(GRPC_OK);
    stream.end(Buffer.from(frameMessage(Buffer.from("x"))));
  },
  Truncated: (stream) => {
    stream.respond(GRPC_OK, { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    stream.end(Buffer.from(frameMessage(Buffer.from("abcdef")).subarray(0, 7)));
  },
  Flood: (stream) => {
    stream.respond(GRPC_OK);
    const message = Buffer.from(frameMessage(Buffer.alloc(1024, 7)));
    const more = () => {
      while (floodWritten < 20_000 && !stream.destroyed) {
        floodWritten++;
        if (!stream.write(message)) return void stream.once("drain", more);
      }
    };
    more();
  },
};

beforeAll(async () => {
  server = http2.createSecureServer({ ...tls, allowHTTP1: false });
  server.on("session", (session) => {
    sessions++;
    openSessions.add(session);
    session.on("close", () => openSessions.delete(session));
  });
  server.on("stream", (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const body = Buffer.concat(chunks);
      const [, ts] = /^HMAC (\d+):/.exec(String(headers["x-auth"])) ?? [];
      const method = String(headers[":path"]).split("/").pop() ?? "";
      lastTimeoutHeader = headers["grpc-timeout"] as string | undefined;
      if (authHeader(KEY, body, Number(ts)) !== headers["x-auth"]) {
        return trailersOnly(stream, 16, "Invalid HMAC in x-auth");
      }
      if (method === "Fail") return trailersOnly(stream, 9, "Insufficient%20funds%3A%20need%20%E2%82%BF1");
      if (method === "Slow") return; // never answers
      const fault = FAULTS[method];
      if (fault) return fault(stream);
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

afterAll(async () => {
  // A test that failed before closing its client must not hang the teardown.
  for (const session of openSessions) session.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

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
    expect(error).toBeInstanceOf(LdkRegtestError);
    expect(error).toMatchObject({
      name: "LdkServerError",
      code: "LDK_SERVER_CALL",
      method: "Fail",
      grpcCode: GrpcCode.FAILED_PRECONDITION,
      codeName: "FAILED_PRECONDITION",
      data: { method: "Fail", grpcCode: 9, codeName: "FAILED_PRECONDITION" },
    });
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

  it("sends a default deadline of 30 s, and whole seconds where milliseconds would exceed 8 digits", async () => {
    const t = transport();
    await t.unary("/api.LightningNode/Echo", new Uint8Array());
    expect(lastTimeoutHeader).toBe("30000m");
    await t.unary("/api.LightningNode/Echo", new Uint8Array(), { timeoutMs: 2 ** 31 - 1 });
    expect(lastTimeoutHeader).toBe("2147484S");
    await t.close();
  });

  it.each([Number.POSITIVE_INFINITY, 2 ** 31, -5])(
    "refuses timeoutMs %s before sending anything",
    async (ms) => {
      const t = transport();
      await expect(t.unary("/api.LightningNode/Echo", new Uint8Array(), { timeoutMs: ms })).rejects.toThrow(
        /Echo timeoutMs: timeoutMs must be a finite number of milliseconds/,
      );
      await t.close();
    },
  );

  it.each([
    ["NotFound", "UNIMPLEMENTED", /HTTP 404 reply \(text\/html\)/],
    ["BadGateway", "UNAVAILABLE", /HTTP 502 reply/],
    ["Html200", "UNKNOWN", /content-type "text\/html", not application\/grpc/],
    ["Compressed", "INTERNAL", /compressed gRPC frame \(flag 1\)/],
    ["TwoReplies", "UNIMPLEMENTED", /exactly one response message .* more than one/],
    ["NoStatus", "INTERNAL", /ended without grpc-status/],
    ["Truncated", "INTERNAL", /ended inside a message \(7 bytes of an incomplete frame\)/],
  ])("maps a %s reply to %s, saying what came back", async (method, codeName, message) => {
    const t = transport();
    const error = await t.unary(`/api.LightningNode/${method}`, new Uint8Array()).catch((e) => e);
    expect(error).toBeInstanceOf(LdkServerError);
    expect(error.codeName).toBe(codeName);
    expect(error.grpcMessage).toMatch(message);
    await t.close();
  });

  it("stops a unary reply of endless empty frames at the second message", async () => {
    const t = transport();
    const heapBefore = process.memoryUsage().heapUsed;
    const error = await t.unary("/api.LightningNode/EndlessEmpty", new Uint8Array()).catch((e) => e);
    expect(error.codeName).toBe("UNIMPLEMENTED");
    await waitFor("the server's writer stopped", () => endlessStopped, { timeoutMs: 2000 });
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    await t.close();
  });

  it("decodes 16 MiB arriving in 16 KiB chunks in linear time", () => {
    const payload = Buffer.alloc(16 * 1024 * 1024 - 5, 1);
    const wire = Buffer.from(frameMessage(payload));
    const decoder = new FrameDecoder();
    const started = performance.now();
    let out: Uint8Array[] = [];
    for (let i = 0; i < wire.length; i += 16 * 1024)
      out = out.concat(decoder.push(wire.subarray(i, i + 16 * 1024)));
    // Recopying the buffer per chunk took ~5 s of CPU here; a linear decoder needs a few ms.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(out).toHaveLength(1);
    expect(out[0]?.length).toBe(payload.length);
  });

  it("ends a stream that closes without grpc-status with an error, not as a normal end", async () => {
    const t = transport();
    const stream = t.serverStream("/api.LightningNode/NoStatus", new Uint8Array());
    const received: string[] = [];
    const error = await (async () => {
      for await (const m of stream) received.push(Buffer.from(m).toString());
    })().catch((e) => e);
    expect(received).toEqual(["x"]);
    expect(error).toMatchObject({ codeName: "INTERNAL" });
    expect(error.grpcMessage).toMatch(/without grpc-status/);
    await t.close();
  });

  it("fails a stream the server never accepts after timeoutMs, through ready and the iterator", async () => {
    const t = transport();
    const stream = t.serverStream("/api.LightningNode/Slow", new Uint8Array(), { timeoutMs: 100 });
    await expect(stream.ready).rejects.toMatchObject({ codeName: "DEADLINE_EXCEEDED" });
    await expect(
      (async () => {
        for await (const _ of stream) {
        }
      })(),
    ).rejects.toThrow(/did not accept the stream within 100 ms/);
    await t.close();
  });

  it("holds a fast stream back while nobody reads it (bounded memory)", async () => {
    const t = transport();
    const stream = t.serverStream("/api.LightningNode/Flood", new Uint8Array());
    await stream.ready;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const writtenWhileIdle = floodWritten;
    expect(writtenWhileIdle).toBeLessThan(2000); // of 20,000: flow control stopped the server
    let read = 0;
    for await (const _ of stream) if (++read === 5000) break;
    expect(floodWritten).toBeGreaterThan(writtenWhileIdle); // reading resumed it
    await t.close();
  });

  it("ends a stream the caller aborts as a normal end, not with CANCELLED", async () => {
    const t = transport();
    const controller = new AbortController();
    const stream = t.serverStream("/api.LightningNode/Flood", new Uint8Array(), {
      signal: controller.signal,
    });
    await stream.ready;
    let read = 0;
    const ended = await (async () => {
      for await (const _ of stream) if (++read === 10) controller.abort("done");
      return "ended";
    })().catch((e) => e);
    expect(ended).toBe("ended");
    await t.close();
  });

  it("keeps the pin when NODE_TLS_REJECT_UNAUTHORIZED=0: an impostor never receives a request", async () => {
    const impostor = selfSignedCert();
    let requests = 0;
    const fake = http2.createSecureServer({ ...impostor, allowHTTP1: false });
    fake.on("stream", (stream) => {
      requests++;
      stream.respond({ ":status": 200, "grpc-status": "0" }, { endStream: true });
    });
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    const t = transport({ address: `127.0.0.1:${(fake.address() as AddressInfo).port}` });
    try {
      const error = await t.unary("/api.LightningNode/Echo", new Uint8Array()).catch((e) => e);
      expect(error).toBeInstanceOf(LdkServerError);
      expect(error.message).toMatch(/TLS handshake .* failed/);
      expect(requests).toBe(0);
    } finally {
      if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
      await t.close();
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });
});
