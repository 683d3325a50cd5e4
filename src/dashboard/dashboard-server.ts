import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { defaultTimeout } from "../common/durations.js";
import { answerRequest } from "../devnet/control.js";
import { stringifyJson } from "../devnet/error-json.js";
import type { DevnetOperations } from "../devnet/operations.js";
import type { Network } from "../network/network.js";
import { networkView } from "./network-view.js";
import { RequestGuard } from "./request-guard.js";
import { loadStaticFiles } from "./static-files.js";
import { ViewFeed } from "./view-feed.js";

/** A running dashboard: the URL to open (it holds the run's token) and how to stop it. */
export interface Dashboard {
  readonly url: string;
  close(): Promise<void>;
}

/** Largest action body accepted (an invoice is well under 2 KiB). */
const MAX_BODY = 64 * 1024;

const HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
};

/**
 * Serves the dashboard of `network` on 127.0.0.1 (a random port): the page, its live view (server-sent
 * events, `api/events`) and its actions (`api/op`, run by the control socket's own `handleRequest` on
 * the CLI's operations: the same checks, results and error messages as the CLI). Every request needs
 * the token of the printed URL.
 */
export async function startDashboard(network: Network, operations: DevnetOperations): Promise<Dashboard> {
  const files = await loadStaticFiles();
  const feed = new ViewFeed(() => networkView(network, operations), defaultTimeout("dashboardPoll"));
  let guard: RequestGuard | undefined;

  const server = createServer((req, res) => {
    const route = guard?.check(req);
    if (route === undefined) return send(res, 403, "text/plain; charset=utf-8", "forbidden\n");
    // The page's URLs are relative to /<token>/: add the slash (the path's last segment is the token).
    if (route === "") return redirect(res, `${(req.url ?? "").split(/[/?#]/)[1]}/`);
    const file = req.method === "GET" ? files.get(route) : undefined;
    if (file) return send(res, 200, file.type, file.body);
    if (req.method === "GET" && route === "/api/events") return feed.subscribe(req, res, HEADERS);
    if (req.method === "POST" && route === "/api/op") return void runOperation(req, res);
    return send(res, 404, "text/plain; charset=utf-8", "not found\n");
  });

  const runOperation = async (req: IncomingMessage, res: ServerResponse) => {
    if (!req.headers["content-type"]?.startsWith("application/json"))
      return send(res, 415, "text/plain; charset=utf-8", "send application/json\n");
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, "text/plain; charset=utf-8", "too large\n");
    const reply = await answerRequest(operations, body, res);
    feed.refresh(); // an action changes the network: show it now, not at the next poll
    send(res, 200, "application/json", stringifyJson(reply));
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  guard = new RequestGuard(typeof address === "object" && address ? address.port : 0);
  const url = guard.url();
  return {
    url,
    async close() {
      feed.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...HEADERS, "content-type": type });
  res.end(body);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(308, { ...HEADERS, location });
  res.end();
}

/** The request's body, or undefined past MAX_BODY. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk;
      if (body.length > MAX_BODY) {
        resolve(undefined);
        req.destroy();
      }
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}
