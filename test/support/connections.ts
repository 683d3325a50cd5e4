import type { LndConnection } from "../../src/lnd/kind.js";

/** An lnd node as `connections.json` lists it (paths under /d/dave, nothing on disk). */
export const daveConnection: LndConnection = {
  kind: "lnd",
  nodeId: "03dd",
  grpcAddress: "127.0.0.1:10009",
  restAddress: "127.0.0.1:8080",
  p2pAddress: "127.0.0.1:9736",
  tlsCertPath: "/d/dave/tls.cert",
  macaroonPath: "/d/dave/admin.macaroon",
  configPath: "/d/dave/lnd.conf",
  logPath: "/d/dave/lnd.log",
};
