#!/usr/bin/env node
// Stand-in ldk-server for faults the real one cannot produce. It writes tls.crt and the api_key where the
// real daemon does, then serves gRPC per FAKE_LDK_MODE:
//   "silent-grpc"          accepts TLS and requests, answers nothing;
//   "silent-subscribe"     answers GetNodeInfo, never answers SubscribeEvents;
//   "unimplemented-events" answers GetNodeInfo, refuses SubscribeEvents with UNIMPLEMENTED;
//   "events"               answers GetNodeInfo, accepts SubscribeEvents (and never sends an event).
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import path from "node:path";

if (process.argv.includes("--version")) {
  console.log("0.1.0 (7f3276a2b7d45469ba2520751d00df7f0596ca9e)");
  process.exit(0);
}
const config = readFileSync(process.argv[2], "utf8");
const dir = /dir_path = "([^"]+)"/.exec(config)[1];
const [host, port] = /grpc_service_address = "([^"]+)"/.exec(config)[1].split(":");
writeFileSync(path.join(dir, "fake.pid"), String(process.pid)); // tests check it is gone
// The certificate comes from the test (FAKE_LDK_TLS = {"cert","key"} PEMs), as the real one makes its own.
const tls = JSON.parse(process.env.FAKE_LDK_TLS ?? "{}");
writeFileSync(path.join(dir, "tls.crt"), tls.cert);
mkdirSync(path.join(dir, "regtest"), { recursive: true });
writeFileSync(path.join(dir, "regtest", "api_key"), randomBytes(32));

const mode = process.env.FAKE_LDK_MODE ?? "silent-grpc";
const server = http2.createSecureServer({ key: tls.key, cert: tls.cert });
server.on("stream", (stream, headers) => {
  const method = String(headers[":path"]).split("/").pop();
  stream.on("data", () => {});
  if (mode === "silent-grpc") return;
  if (method === "GetNodeInfo") {
    stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    return void stream.end(Buffer.alloc(5)); // one empty message: every field at its default
  }
  if (method === "SubscribeEvents" && mode === "unimplemented-events") {
    return void stream.respond(
      {
        ":status": 200,
        "content-type": "application/grpc",
        "grpc-status": "12",
        "grpc-message": "unknown method",
      },
      { endStream: true },
    );
  }
  if (method === "SubscribeEvents" && mode === "events") {
    return void stream.respond({ ":status": 200, "content-type": "application/grpc" });
  }
  // silent-subscribe: never answer
});
server.listen(Number(port), host);
