import { LdkRegtestError } from "../../common/errors.js";
import { GrpcCode } from "./grpc-status.js";

/** gRPC length-prefixed message framing: 1 flag byte (0 = uncompressed), u32 BE length, payload. */
export function frameMessage(payload: Uint8Array): Uint8Array {
  const framed = new Uint8Array(5 + payload.length);
  new DataView(framed.buffer).setUint32(1, payload.length);
  framed.set(payload, 5);
  return framed;
}

/** A reply that breaks the gRPC framing rules (code TRANSPORT); `grpcCode` is what gRPC clients report for it. */
export class FrameError extends LdkRegtestError {
  override readonly name = "FrameError";
  constructor(
    readonly grpcCode: number,
    message: string,
  ) {
    super("TRANSPORT", message, { data: { grpcCode } });
  }
}

/** The default cap on one message (ldk-server's own replies are far smaller; gRPC's default is 4 MiB). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Reassembles frames from arbitrarily split DATA chunks of a response stream. Chunks are kept as a list
 * and each byte is copied at most once, when its frame completes: decoding is linear in the bytes received.
 */
export class FrameDecoder {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxMessageBytes = MAX_MESSAGE_BYTES) {}

  /** Feeds one chunk and returns every payload it completed. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (chunk.length > 0) {
      this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.buffered += chunk.length;
    }
    const messages: Uint8Array[] = [];
    while (this.buffered >= 5) {
      const header = this.peek(5);
      const flag = header[0];
      if (flag !== 0) {
        throw new FrameError(
          GrpcCode.INTERNAL,
          `compressed gRPC frame (flag ${flag}) but no compression was negotiated`,
        );
      }
      const length = header.readUInt32BE(1);
      if (length > this.maxMessageBytes) {
        throw new FrameError(
          GrpcCode.RESOURCE_EXHAUSTED,
          `gRPC message of ${length} bytes exceeds the ${this.maxMessageBytes}-byte limit`,
        );
      }
      if (this.buffered < 5 + length) break;
      messages.push(this.take(5 + length).subarray(5));
    }
    return messages;
  }

  /** Bytes of an incomplete frame left over; non-zero at end of stream means truncation. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** The first `n` buffered bytes, without consuming them (n is small: a frame header). */
  private peek(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    return first.length >= n ? first : Buffer.concat(this.chunks, n);
  }

  /** Removes and returns the first `n` buffered bytes (a view when they lie in one chunk). */
  private take(n: number): Buffer {
    const parts: Buffer[] = [];
    let needed = n;
    while (needed > 0) {
      const chunk = this.chunks[0] as Buffer;
      if (chunk.length <= needed) {
        parts.push(chunk);
        this.chunks.shift();
        needed -= chunk.length;
      } else {
        parts.push(chunk.subarray(0, needed));
        this.chunks[0] = chunk.subarray(needed);
        needed = 0;
      }
    }
    this.buffered -= n;
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, n);
  }
}
