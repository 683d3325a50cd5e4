#!/usr/bin/env node
// Stand-in bitcoind for faults the real one cannot produce. FAKE_BITCOIND_MODE:
//   "silent"    accepts RPC connections and never answers;
//   "no-wallet" answers getblockcount, fails createwallet.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

if (process.argv.includes("-version")) {
  console.log("Bitcoin Core daemon version v99.0.0 (stand-in)");
  process.exit(0);
}
const confPath = process.argv.find((a) => a.startsWith("-conf="))?.slice(6) ?? "";
const port = Number(/^rpcport=(\d+)$/m.exec(readFileSync(confPath, "utf8"))?.[1]);
const mode = process.env.FAKE_BITCOIND_MODE ?? "silent";
const server = createServer((req, res) => {
  if (mode === "silent") return; // hold the connection open, answer nothing
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const { id, method } = JSON.parse(body);
    const reply =
      method === "getblockcount"
        ? { result: 0, error: null, id }
        : { result: null, error: { code: -4, message: "Wallet file verification failed (stand-in)" }, id };
    res.writeHead(reply.error ? 500 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify(reply));
  });
});
server.listen(port, "127.0.0.1");
