import { X509Certificate } from "node:crypto";

/**
 * An lnd node as one `lndconnect://` URI (what wallet apps such as Zeus scan): its gRPC `host:port`,
 * the DER bytes of its TLS certificate and its macaroon, both base64url without padding. It holds the
 * macaroon: write it to private files only.
 */
export function lndConnectUri(grpcAddress: string, certPem: string | Buffer, macaroon: Buffer): string {
  const der = new X509Certificate(certPem).raw;
  return `lndconnect://${grpcAddress}?cert=${der.toString("base64url")}&macaroon=${macaroon.toString("base64url")}`;
}
