import { readFile } from "node:fs/promises";
import http2 from "node:http2";
import type { TLSSocket } from "node:tls";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { frameMessage } from "../../src/client/transport/grpc-frame.js";

/** What one gRPC call to lnd answered: the TLS handshake's verdict, grpc-status, and the reply's bytes. */
export interface LndGrpcAnswer {
  /** The connection verified lnd's certificate against the given one (the only CA). */
  authorized: boolean;
  grpcStatus: number;
  grpcMessage: string;
  reply: Buffer;
}

/**
 * One unary gRPC call to lnd as sim-ln makes it: TLS with the node's cert as the only CA, the macaroon
 * (the file's bytes, hex) in the `macaroon` metadata. Written for the test: lnd's proto is not ours.
 */
export async function lndGrpcCall(
  address: string,
  certPath: string,
  macaroon: Buffer,
  method: string,
): Promise<LndGrpcAnswer> {
  const session = http2.connect(address, { ca: await readFile(certPath) });
  try {
    await new Promise<void>((resolve, reject) => {
      session.once("connect", () => resolve());
      session.once("error", reject);
    });
    const authorized = (session.socket as TLSSocket).authorized;
    const stream = session.request({
      ":method": "POST",
      ":path": method,
      "content-type": "application/grpc",
      te: "trailers",
      macaroon: macaroon.toString("hex"),
    });
    stream.end(frameMessage(new Uint8Array()));
    const chunks: Buffer[] = [];
    let headers: http2.IncomingHttpHeaders = {};
    stream.on("response", (h) => {
      headers = { ...h };
    });
    stream.on("trailers", (t) => {
      headers = { ...headers, ...t };
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    await new Promise<void>((resolve, reject) => {
      stream.on("end", resolve);
      stream.on("error", reject);
    });
    const body = Buffer.concat(chunks);
    return {
      authorized,
      grpcStatus: Number(headers["grpc-status"] ?? -1),
      grpcMessage: decodeURIComponent(String(headers["grpc-message"] ?? "")),
      reply: body.subarray(5), // one framed message: flag byte and u32 length first
    };
  } finally {
    session.close();
  }
}

/** A string field of a protobuf message (by its field number), or undefined. */
export function protoString(message: Uint8Array, field: number): string | undefined {
  const reader = new BinaryReader(message);
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    if (number === field && wireType === 2) return reader.string();
    reader.skip(wireType);
  }
  return undefined;
}
