import { rm } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";

/** One operation asked of the supervisor: its name and arguments. */
export interface ControlRequest {
  op: string;
  args?: Record<string, unknown>;
}

/** Serves operations on a unix socket (in the network's 0700 dir): JSON in, JSON out. */
export async function serveControl(
  socket: string,
  handle: (request: ControlRequest) => Promise<unknown>,
): Promise<Server> {
  await rm(socket, { force: true }); // left by a supervisor that was killed
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c;
    });
    req.on("end", async () => {
      let reply: { ok: boolean; result?: unknown; error?: string };
      try {
        reply = { ok: true, result: await handle(JSON.parse(body) as ControlRequest) };
      } catch (error) {
        reply = { ok: false, error: (error as Error).message };
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(reply, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socket, resolve);
  });
  return server;
}

/** Asks the supervisor listening on `socket`; throws its error message when the operation failed. */
export function callControl(socket: string, request_: ControlRequest, timeoutMs = 180_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: socket,
        path: "/",
        method: "POST",
        headers: { "content-type": "application/json" },
        timeout: timeoutMs,
      },
      (res) => {
        let body = "";
        res.on("data", (c: Buffer) => {
          body += c;
        });
        res.on("end", () => {
          try {
            const reply = JSON.parse(body) as { ok: boolean; result?: unknown; error?: string };
            if (reply.ok) resolve(reply.result);
            else reject(new Error(reply.error));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on("timeout", () =>
      req.destroy(new Error(`the supervisor did not answer ${request_.op} within ${timeoutMs} ms`)),
    );
    req.on("error", reject);
    req.end(JSON.stringify(request_));
  });
}
