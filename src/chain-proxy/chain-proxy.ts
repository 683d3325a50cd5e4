import { randomBytes, timingSafeEqual } from "node:crypto";
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { defaultTimeout } from "../common/durations.js";
import { LdkRegtestError } from "../common/errors.js";
import { HeldPolls } from "./held-polls.js";

/** Where and as whom to reach bitcoind's JSON-RPC (a node's chain source has the same shape). */
export interface RpcEndpoint {
  rpcAddress: string;
  rpcUser: string;
  rpcPassword: string;
}

export interface ChainProxyOptions {
  /** bitcoind's RPC. */
  upstream: RpcEndpoint;
  /** Longest a poll is held while the tip is unchanged (default: DEFAULT_TIMEOUTS.chainPollHold). */
  holdMs?: number;
  /** Most polls held at once; more are answered at once (bounded memory). */
  maxHeld?: number;
  /** Largest request body accepted (a node's biggest is a raw transaction). */
  maxBodyBytes?: number;
}

/** Every node polls with this method first; it is the one call worth holding. */
const POLL_METHOD = "getblockchaininfo";
/** A node broadcasting: every wallet (its own included) learns of it only at its next poll's mempool sync. */
const BROADCAST_METHOD = "sendrawtransaction";

/** What the proxy did, for tests and benchmarks. */
export interface ChainProxyStats {
  forwarded: number;
  held: number;
  releasedOnMine: number;
  releasedOnTip: number;
  /** Released because the node sent another call behind it on the same connection. */
  releasedOnCall: number;
  /** Released because a node broadcast a transaction (the mempool changed, the tip did not). */
  releasedOnBroadcast: number;
  heldTimedOut: number;
}

/**
 * A JSON-RPC proxy between the nodes and bitcoind, on 127.0.0.1 with its own random credentials per
 * node. Every call is forwarded as is; only *when* a node hears of a new block changes. ldk-node polls
 * bitcoind every 2 s, so a block reaches it up to 2 s late. The proxy holds a node's poll
 * (`getblockchaininfo`) while bitcoind's tip is the one that node already has — up to `holdMs`, then it
 * answers normally — and answers the held polls as soon as the harness has mined (`released()`), or once
 * a tip that someone else moved has been still for a moment. The node then syncs within milliseconds.
 */
export class ChainProxy {
  readonly rpcAddress: string;
  readonly stats: ChainProxyStats = {
    forwarded: 0,
    held: 0,
    releasedOnMine: 0,
    releasedOnTip: 0,
    releasedOnCall: 0,
    releasedOnBroadcast: 0,
    heldTimedOut: 0,
  };
  readonly #passwords = new Map<string, string>();
  readonly #upstreamAuth: string;
  /** Per connection (a restarted node comes back on a new one): the tip it was told, and how often. */
  readonly #told = new WeakMap<Socket, { tip: string; polls: number }>();
  readonly #held: HeldPolls;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 32 });
  readonly #sockets = new Set<Socket>();
  #tipWatch: NodeJS.Timeout | undefined;
  #closed = false;

  readonly #server: Server;
  readonly #options: Required<ChainProxyOptions>;

  private constructor(server: Server, options: Required<ChainProxyOptions>) {
    this.#server = server;
    this.#options = options;
    this.rpcAddress = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { rpcUser, rpcPassword } = options.upstream;
    this.#upstreamAuth = `Basic ${Buffer.from(`${rpcUser}:${rpcPassword}`).toString("base64")}`;
    this.#held = new HeldPolls(options.maxHeld);
  }

  static async start(options: ChainProxyOptions): Promise<ChainProxy> {
    const resolved = {
      holdMs: defaultTimeout("chainPollHold"),
      maxHeld: 4096,
      maxBodyBytes: 8 * 1024 * 1024,
      ...options,
    };
    let proxy: ChainProxy | undefined;
    const server = createServer((req, res) => {
      if (proxy) void proxy.handle(req, res);
      else res.writeHead(503).end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    proxy = new ChainProxy(server, resolved);
    const tracked = proxy;
    server.on("connection", (socket) => {
      tracked.#sockets.add(socket);
      socket.once("close", () => tracked.#sockets.delete(socket));
    });
    return proxy;
  }

  /** A node's own credentials for the proxy (random per run): its chain source. */
  endpointFor(node: string): RpcEndpoint {
    const user = `ldk-regtest-${node}`;
    const password = this.#passwords.get(user) ?? randomBytes(24).toString("hex");
    this.#passwords.set(user, password);
    return new NodeEndpoint(this.rpcAddress, user, password);
  }

  /** The harness has mined: every held poll is answered now, with the new tip. */
  released(): void {
    this.stats.releasedOnMine += this.#held.release();
  }

  /** Answers what is held, closes every connection and stops listening. */
  async stop(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#tipWatch);
    this.#held.release();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
    });
    this.#agent.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const user = this.authorizedUser(req);
    if (!user) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="jsonrpc"' }).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, this.#options.maxBodyBytes);
    } catch (error) {
      res.writeHead(413).end(String((error as Error).message));
      return;
    }
    if (process.env.LDK_REGTEST_PROXY_TRACE)
      process.stderr.write(`${Date.now()} ${user} ${req.socket.remotePort} ${methodOf(body)}\n`);
    const method = methodOf(body);
    if (!this.#closed && method === POLL_METHOD) {
      await this.poll(req.socket, body, res);
      return;
    }
    const answer = await this.call(body).catch((error: Error) => unreachable(error));
    // Holding polls while the mempool changes would delay every wallet's view of the new transaction
    // (an opener's next open waits for its wallet to see its last funding): let them all look now.
    if (method === BROADCAST_METHOD && answer.status === 200)
      this.stats.releasedOnBroadcast += this.#held.release();
    this.reply(res, answer);
  }

  /**
   * A node's poll: answered at once when bitcoind's tip is news to its connection, else held. A node's
   * first two polls (its start's tip fetch, then the first poll of its sync loop, which syncs its
   * wallet and channels) are never held: holding them would delay its first sync, not speed it up.
   */
  private async poll(connection: Socket, body: Buffer, res: ServerResponse): Promise<void> {
    const first = await this.call(body).catch((error: Error) => error);
    if (first instanceof Error) return this.reply(res, unreachable(first));
    const tip = tipOf(first.body);
    const told = this.#told.get(connection);
    const hold = tip !== undefined && told !== undefined && told.polls >= 2 && told.tip === tip;
    const answer = async (why: "released" | "timeout") => {
      if (why === "timeout") this.stats.heldTimedOut++;
      const fresh = await this.call(body).catch((error: Error) => unreachable(error));
      this.record(connection, fresh);
      this.reply(res, fresh);
    };
    const poll =
      hold && tip !== undefined
        ? this.#held.hold(tip, this.#options.holdMs, (why) => void answer(why))
        : undefined;
    if (poll) {
      this.stats.held++;
      // A node pipelines every call on one connection and reads the answers in order: a call sent
      // behind a held poll would wait for it (the server reads it only once the poll is answered), so
      // any byte arriving on that connection answers the poll now; the node has work to do anyway.
      const onData = () => {
        if (this.#held.releaseOne(poll)) this.stats.releasedOnCall++;
      };
      connection.once("data", onData);
      res.once("finish", () => connection.off("data", onData));
      this.watchTip(poll.tip);
      return;
    }
    this.record(connection, first);
    this.reply(res, first);
  }

  /**
   * While polls are held: a tip moved by someone else is released once it has been still for
   * `chainTipStill` (a batch being mined would otherwise wake the nodes at its first block).
   */
  private watchTip(initial: string): void {
    if (this.#tipWatch) return;
    let seen = initial;
    let since = Date.now();
    const still = defaultTimeout("chainTipStill");
    let looking = false; // one look at a time: a slow bitcoind must not pile up calls
    this.#tipWatch = setInterval(async () => {
      if (this.#held.size === 0) {
        clearInterval(this.#tipWatch);
        this.#tipWatch = undefined;
        return;
      }
      if (looking) return;
      looking = true;
      const answer = await this.call(rpcBody("getbestblockhash")).catch(() => undefined);
      looking = false;
      const tip = answer && resultOf(answer.body);
      if (typeof tip !== "string") return;
      if (tip !== seen) {
        seen = tip;
        since = Date.now();
      } else if (Date.now() - since >= still) {
        this.stats.releasedOnTip += this.#held.release(tip);
      }
    }, defaultTimeout("chainTipWatch"));
    this.#tipWatch.unref();
  }

  private record(connection: Socket, answer: Answer): void {
    const tip = tipOf(answer.body);
    if (tip === undefined) return;
    const told = this.#told.get(connection);
    this.#told.set(connection, { tip, polls: (told?.polls ?? 0) + 1 });
  }

  /** One call to bitcoind, with bitcoind's credentials; the whole answer. */
  private call(body: Buffer): Promise<Answer> {
    this.stats.forwarded++;
    const [host, port] = splitAddress(this.#options.upstream.rpcAddress);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host,
          port,
          method: "POST",
          path: "/",
          agent: this.#agent,
          headers: {
            authorization: this.#upstreamAuth,
            "content-type": "application/json",
            "content-length": body.length,
          },
        },
        (upstream) => {
          const chunks: Buffer[] = [];
          upstream.on("data", (c: Buffer) => chunks.push(c));
          upstream.on("end", () =>
            resolve({ status: upstream.statusCode ?? 502, body: Buffer.concat(chunks) }),
          );
          upstream.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  private reply(res: ServerResponse, answer: Answer): void {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(answer.status, {
      "content-type": "application/json",
      "content-length": answer.body.length,
    });
    res.end(answer.body);
  }

  private authorizedUser(req: IncomingMessage): string | undefined {
    const header = req.headers.authorization ?? "";
    if (!header.startsWith("Basic ")) return undefined;
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = decoded.slice(0, colon);
    const expected = this.#passwords.get(user);
    if (colon < 0 || expected === undefined) return undefined;
    const given = Buffer.from(decoded.slice(colon + 1));
    const want = Buffer.from(expected);
    return given.length === want.length && timingSafeEqual(given, want) ? user : undefined;
  }
}

/** A node's credentials for the proxy; the password is a private field (inspect and JSON never show it). */
class NodeEndpoint implements RpcEndpoint {
  readonly #password: string;

  constructor(
    readonly rpcAddress: string,
    readonly rpcUser: string,
    password: string,
  ) {
    this.#password = password;
  }

  get rpcPassword(): string {
    return this.#password;
  }
}

interface Answer {
  status: number;
  body: Buffer;
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.destroy();
        reject(new LdkRegtestError("BAD_OPTION", `request body over ${max} bytes`, { data: { max } }));
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The method of a single JSON-RPC request (undefined for a batch or anything else). */
export function methodOf(body: Buffer): string | undefined {
  if (body.length > 4096) return undefined; // a poll is tiny; no need to parse big bodies
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { method?: unknown };
    return typeof parsed?.method === "string" ? parsed.method : undefined;
  } catch {
    return undefined;
  }
}

function resultOf(body: Buffer): unknown {
  try {
    return (JSON.parse(body.toString("utf8")) as { result?: unknown }).result;
  } catch {
    return undefined;
  }
}

function tipOf(body: Buffer): string | undefined {
  const result = resultOf(body) as { bestblockhash?: unknown } | undefined;
  return typeof result?.bestblockhash === "string" ? result.bestblockhash : undefined;
}

function rpcBody(method: string): Buffer {
  return Buffer.from(JSON.stringify({ jsonrpc: "1.0", id: "ldk-regtest-proxy", method, params: [] }));
}

/** bitcoind could not be reached: a JSON-RPC error the node logs and retries at its next poll. */
function unreachable(error: Error): Answer {
  const message = `ldk-regtest chain proxy: bitcoind unreachable (${error.message})`;
  return {
    status: 503,
    body: Buffer.from(JSON.stringify({ result: null, error: { code: -28, message }, id: null })),
  };
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(":");
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
}

/** `LDK_REGTEST_CHAIN_PROXY=1` (or `true`, `on`) turns the chain proxy on by default. */
export function chainProxyFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return ["1", "true", "on", "yes"].includes((env.LDK_REGTEST_CHAIN_PROXY ?? "").toLowerCase());
}
