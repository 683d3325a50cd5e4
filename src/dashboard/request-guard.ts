import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * Who may talk to the dashboard: requests that carry the run's token as their first path segment
 * (`/<token>/…`), address us by our own loopback host and port (a DNS-rebinding page cannot), and come
 * from our own origin when a browser says where they come from. No CORS header is ever sent, so another
 * origin's page can neither read an answer nor send a JSON POST (it needs a preflight nobody answers).
 */
export class RequestGuard {
  readonly #token = randomBytes(24).toString("base64url");
  readonly #digest = digest(this.#token);

  constructor(readonly port: number) {}

  /** The URL to print: the only way in. */
  url(): string {
    return `http://127.0.0.1:${this.port}/${this.#token}/`;
  }

  /**
   * The path below the token (`/`, `/app.js`, `/api/op`; `""` for the bare `/<token>`), or undefined:
   * refuse with 403.
   */
  check(req: IncomingMessage): string | undefined {
    const hosts = [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
    if (!hosts.includes(req.headers.host ?? "")) return undefined;
    const origin = req.headers.origin;
    if (origin !== undefined && !hosts.some((host) => origin === `http://${host}`)) return undefined;
    const site = req.headers["sec-fetch-site"];
    if (site !== undefined && site !== "same-origin" && site !== "none") return undefined;
    const url = req.url ?? "";
    const match = /^\/([^/?#]*)(\/[^?#]*)?(?:[?#].*)?$/.exec(url);
    if (!match) return undefined;
    // Compared as fixed-length digests in constant time: the time taken says nothing of the token.
    if (!timingSafeEqual(digest(match[1] ?? ""), this.#digest)) return undefined;
    return match[2] ?? "";
  }
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
