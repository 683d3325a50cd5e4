/** gRPC length-prefixed message framing: 1 flag byte (0 = uncompressed), u32 BE length, payload. */
export function frameMessage(payload: Uint8Array): Uint8Array {
  const framed = new Uint8Array(5 + payload.length);
  new DataView(framed.buffer).setUint32(1, payload.length);
  framed.set(payload, 5);
  return framed;
}

/** Reassembles frames from arbitrarily split DATA chunks of a response stream. */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly maxMessageBytes = 16 * 1024 * 1024) {}

  /** Feeds one chunk and returns every payload it completed. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.buffered = this.buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffered, chunk]);
    const messages: Uint8Array[] = [];
    while (this.buffered.length >= 5) {
      const flag = this.buffered[0];
      if (flag !== 0)
        throw new Error(`compressed gRPC frame (flag ${flag}) but no compression was negotiated`);
      const length = this.buffered.readUInt32BE(1);
      if (length > this.maxMessageBytes) {
        throw new Error(`gRPC frame of ${length} bytes exceeds the ${this.maxMessageBytes}-byte limit`);
      }
      if (this.buffered.length < 5 + length) break;
      messages.push(this.buffered.subarray(5, 5 + length));
      this.buffered = this.buffered.subarray(5 + length);
    }
    return messages;
  }

  /** Bytes of an incomplete frame left over; non-zero at end of stream means truncation. */
  get pendingBytes(): number {
    return this.buffered.length;
  }
}
