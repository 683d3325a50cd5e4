import { createHmac } from "node:crypto";
import { badOption } from "../../common/errors.js";

/**
 * The `x-auth` header value LDK Server expects: `HMAC <ts>:<hex>`, where the MAC is
 * HMAC-SHA256 keyed with the ASCII bytes of the hex API key (not the raw key bytes) over the
 * 8-byte big-endian timestamp followed by the exact framed request body that goes on the wire.
 */
export function authHeader(apiKeyHex: string, framedBody: Uint8Array, nowSeconds: number): string {
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(nowSeconds));
  const mac = createHmac("sha256", Buffer.from(apiKeyHex, "ascii"))
    .update(ts)
    .update(framedBody)
    .digest("hex");
  return `HMAC ${nowSeconds}:${mac}`;
}

/** The daemon stores 32 raw bytes in `<storage>/<network>/api_key`; clients speak their lowercase hex. */
export function apiKeyFromFile(bytes: Uint8Array): string {
  if (bytes.length !== 32) {
    throw badOption(
      "apiKey",
      `api_key file has ${bytes.length} bytes, expected 32: is this an ldk-server api_key file?`,
      { bytes: bytes.length },
    );
  }
  return Buffer.from(bytes).toString("hex");
}
