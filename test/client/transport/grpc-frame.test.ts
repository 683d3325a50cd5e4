import { describe, expect, it } from "vitest";
import { FrameDecoder, FrameError, frameMessage } from "../../../src/client/transport/grpc-frame.js";
import { GrpcCode } from "../../../src/client/transport/grpc-status.js";
import { LdkRegtestError } from "../../../src/common/errors.js";

describe("frameMessage", () => {
  it("prefixes flag 0 and the big-endian length", () => {
    expect([...frameMessage(new Uint8Array([7, 8, 9]))]).toEqual([0, 0, 0, 0, 3, 7, 8, 9]);
    expect([...frameMessage(new Uint8Array())]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe("FrameDecoder", () => {
  it("reassembles messages split across and packed into chunks", () => {
    const a = frameMessage(new Uint8Array([1, 2, 3]));
    const b = frameMessage(new Uint8Array(300).fill(9));
    const c = frameMessage(new Uint8Array());
    const wire = Buffer.concat([a, b, c]);
    const decoder = new FrameDecoder();
    const out: Uint8Array[] = [];
    out.push(...decoder.push(wire.subarray(0, 2)));
    expect(out).toHaveLength(0);
    out.push(...decoder.push(wire.subarray(2, 9)));
    out.push(...decoder.push(wire.subarray(9, 200)));
    out.push(...decoder.push(wire.subarray(200)));
    expect(out.map((m) => m.length)).toEqual([3, 300, 0]);
    expect([...(out[0] ?? [])]).toEqual([1, 2, 3]);
    expect(decoder.pendingBytes).toBe(0);
  });

  it("reports a truncated tail as pending bytes", () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(frameMessage(new Uint8Array([1, 2])).subarray(0, 6))).toEqual([]);
    expect(decoder.pendingBytes).toBe(6);
  });

  it("refuses compressed frames and oversized lengths", () => {
    expect(() => new FrameDecoder().push(Uint8Array.from([1, 0, 0, 0, 0]))).toThrow(/compressed/);
    expect(() => new FrameDecoder(10).push(Uint8Array.from([0, 0, 0, 0, 11]))).toThrow(/exceeds the 10-byte/);
  });

  it("fails with a FrameError of code TRANSPORT, carrying the gRPC code clients report", () => {
    let error: unknown;
    try {
      new FrameDecoder(10).push(Uint8Array.from([0, 0, 0, 0, 11]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FrameError);
    expect(error).toBeInstanceOf(LdkRegtestError);
    expect(error).toMatchObject({
      name: "FrameError",
      code: "TRANSPORT",
      grpcCode: GrpcCode.RESOURCE_EXHAUSTED,
    });
  });
});
