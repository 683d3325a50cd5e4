import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { lndConnectUri } from "../../src/lnd/kind.js";
import { selfSignedCert } from "../support/tls-fixture.js";

describe("lndconnect URI", () => {
  const { cert } = selfSignedCert();
  const macaroon = Buffer.from([0x02, 0x01, 0xfb, 0xff, 0x3e, 0x00, 0xfe]); // bytes that need '-' and '_'

  it("holds the gRPC address, the certificate's DER and the macaroon, base64url without padding", () => {
    const uri = new URL(lndConnectUri("127.0.0.1:10009", cert, macaroon));
    expect(uri.protocol).toBe("lndconnect:");
    expect(uri.host).toBe("127.0.0.1:10009");
    const certParam = uri.searchParams.get("cert") ?? "";
    const macaroonParam = uri.searchParams.get("macaroon") ?? "";
    for (const param of [certParam, macaroonParam]) expect(param).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(macaroonParam).toBe("AgH7_z4A_g");
    // The DER decodes to the same certificate as the PEM lnd wrote.
    const der = Buffer.from(certParam, "base64url");
    expect(new X509Certificate(der).fingerprint256).toBe(new X509Certificate(cert).fingerprint256);
    expect(Buffer.from(macaroonParam, "base64url")).toEqual(macaroon);
  });

  it("refuses what is not a certificate (nothing half-written from a broken tls.cert)", () => {
    expect(() => lndConnectUri("127.0.0.1:10009", "not a pem", macaroon)).toThrow();
  });
});
