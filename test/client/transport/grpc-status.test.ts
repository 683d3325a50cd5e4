import { describe, expect, it } from "vitest";
import {
  decodeGrpcMessage,
  GrpcCode,
  grpcCodeName,
  readStatus,
} from "../../../src/client/transport/grpc-status.js";

describe("grpc-message decoding", () => {
  it("decodes the server's percent-encoding, UTF-8 included", () => {
    expect(decodeGrpcMessage("Invalid%20HMAC%20in%20x-auth")).toBe("Invalid HMAC in x-auth");
    expect(decodeGrpcMessage("caf%C3%A9 100%25 ok")).toBe("café 100% ok");
  });

  it("keeps a malformed escape as sent instead of throwing", () => {
    expect(decodeGrpcMessage("bad %E0%A4%A escape")).toBe("bad %E0%A4%A escape");
    expect(decodeGrpcMessage(undefined)).toBe("");
  });
});

describe("readStatus", () => {
  it("reads a Trailers-Only error from response headers", () => {
    expect(
      readStatus({ ":status": "200", "grpc-status": "16", "grpc-message": "Request%20timestamp%20expired" }),
    ).toEqual({ code: 16, message: "Request timestamp expired" });
  });

  it("is undefined for normal response headers and names unknown codes", () => {
    expect(readStatus({ ":status": "200", "content-type": "application/grpc+proto" })).toBeUndefined();
    expect(grpcCodeName(9)).toBe("FAILED_PRECONDITION");
    expect(grpcCodeName(42)).toBe("CODE_42");
  });
});

describe("GrpcCode", () => {
  it("names every code by its number, each typed as its literal (a switch narrows)", () => {
    for (const [name, code] of Object.entries(GrpcCode)) expect(grpcCodeName(code)).toBe(name);
    const unauthenticated: 16 = GrpcCode.UNAUTHENTICATED; // a type error if the literal type were lost
    expect(unauthenticated).toBe(16);
  });
});
