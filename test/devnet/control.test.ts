import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { LdkRegtestError } from "../../src/common/errors.js";
import { callControl, type OperationContext, serveControl } from "../../src/devnet/control.js";
import { errorFromJson, errorToJson, ReportedError } from "../../src/devnet/error-json.js";
import { WaitError } from "../../src/waits/wait-for.js";

const waitError = () =>
  new WaitError("timed out after 5 ms waiting for: x\n  last observed: 3", "x", 3, "timeout", 5, [
    { name: "bob", state: "running", logPath: "/tmp/bob.log", tail: ["a line"] } as never,
  ]);

/** A server's operations: what the protocol types are derived from. */
function operations(seen: { aborted?: boolean }) {
  return {
    async add({ a, b }: { a: number; b: number }) {
      return { sum: a + b, big: BigInt(a) * 10n ** 20n };
    },
    async ping() {
      return { pong: true as const };
    },
    async refuse({ node }: { node: string }) {
      throw new LdkRegtestError("UNKNOWN_NODE", `no node "${node}"`, { data: { node, nodes: ["alice"] } });
    },
    async waitsInVain() {
      throw waitError();
    },
    async plain() {
      throw new Error("something broke");
    },
    async abortReason() {
      throw "SIGINT";
    },
    async slow(_args: undefined, { signal }: OperationContext) {
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      seen.aborted = signal.aborted;
      return {};
    },
  };
}
type Ops = ReturnType<typeof operations>;

describe("the control protocol on a unix socket", () => {
  let dir = "";
  let socket = "";
  let server: Server;
  const seen: { aborted?: boolean } = {};
  const call = <K extends keyof Ops & string>(op: K, args: Parameters<Ops[K]>[0], signal?: AbortSignal) =>
    callControl<Ops, K>(socket, op, args, { timeoutMs: 5000, ...(signal ? { signal } : {}) });
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail("resolved"),
      (e: unknown) => e,
    );

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ldkrt-control-"));
    socket = path.join(dir, "control.sock");
    server = await serveControl(socket, operations(seen));
  });
  afterAll(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("calls an operation: typed arguments and result, bigints as strings", async () => {
    const result = await call("add", { a: 2, b: 3 });
    expectTypeOf(result).toEqualTypeOf<{ sum: number; big: string }>();
    expect(result).toEqual({ sum: 5, big: "200000000000000000000" });
    expect(await call("ping", undefined)).toEqual({ pong: true });
  });

  it("an LdkRegtestError comes back with its code, message and data", async () => {
    const error = await rejection(call("refuse", { node: "dave" }));
    expect(error).toBeInstanceOf(LdkRegtestError);
    expect(error).toMatchObject({ code: "UNKNOWN_NODE", message: 'no node "dave"', data: { node: "dave" } });
  });

  it("a WaitError comes back as WAIT_FAILED with its structured report", async () => {
    const error = (await rejection(call("waitsInVain", undefined))) as ReportedError;
    expect(error).toBeInstanceOf(ReportedError);
    expect(error.code).toBe("WAIT_FAILED");
    expect(error.message).toMatch(/^timed out after 5 ms waiting for: x/);
    expect(error.wait).toEqual(JSON.parse(JSON.stringify(waitError().toJSON())));
  });

  it("a plain Error is UNEXPECTED; an abort reason that is not an Error reads interrupted (SIGINT)", async () => {
    expect(await rejection(call("plain", undefined))).toMatchObject({
      code: "UNEXPECTED",
      message: "something broke",
    });
    expect(await rejection(call("abortReason", undefined))).toMatchObject({
      code: "ABORTED",
      message: "interrupted (SIGINT)",
    });
  });

  it("an unknown operation is refused with the known ones", async () => {
    const error = await rejection(
      callControl<Record<string, () => Promise<unknown>>, "nope">(socket, "nope", undefined),
    );
    expect(error).toMatchObject({ code: "BAD_OPTION" });
    expect((error as Error).message).toMatch(/unknown operation "nope" \(known: add, ping, refuse/);
  });

  it("a caller that gives up aborts the operation's signal on the server", async () => {
    const controller = new AbortController();
    const pending = rejection(call("slow", undefined, controller.signal));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort("SIGINT");
    expect(await pending).toBe("SIGINT");
    await expect.poll(() => seen.aborted).toBe(true);
  });

  it("no server: a TRANSPORT error naming the socket", async () => {
    const error = await rejection(callControl<Ops, "ping">(path.join(dir, "none.sock"), "ping", undefined));
    expect(error).toMatchObject({ code: "TRANSPORT" });
    expect((error as Error).message).toMatch(/cannot reach the supervisor on .*none\.sock/);
  });
});

describe("errors as JSON", () => {
  it("round-trips code, message, data and the wait report", () => {
    const original = new LdkRegtestError("BAD_OPTION", "bad", { data: { option: "sats", min: 546 } });
    const back = errorFromJson(JSON.parse(JSON.stringify(errorToJson(original))));
    expect(back).toBeInstanceOf(LdkRegtestError);
    expect({ code: back.code, message: back.message, data: back.data }).toEqual({
      code: "BAD_OPTION",
      message: "bad",
      data: { option: "sats", min: 546 },
    });
    expect(errorToJson(waitError())).toMatchObject({
      code: "WAIT_FAILED",
      wait: { reason: "timeout", condition: "x" },
    });
  });

  it("an unknown code from the wire is UNEXPECTED, keeping what was sent", () => {
    const back = errorFromJson({ code: "FROM_THE_FUTURE", message: "m", data: { a: 1 } });
    expect(back).toMatchObject({
      code: "UNEXPECTED",
      message: "m",
      data: { a: 1, sentCode: "FROM_THE_FUTURE" },
    });
    expect(errorFromJson(null)).toMatchObject({ code: "UNEXPECTED" });
  });

  it("classes of the package that have no code yet get theirs by name", () => {
    const rpc = Object.assign(new Error("bitcoind sendmany failed (-6): Insufficient funds"), {
      name: "BitcoinRpcError",
    });
    expect(errorToJson(rpc).code).toBe("BITCOIND_RPC");
    expect(errorToJson(undefined)).toMatchObject({ code: "ABORTED", message: "interrupted (aborted)" });
    expect(errorToJson(42)).toMatchObject({ code: "UNEXPECTED", message: "42" });
  });
});
