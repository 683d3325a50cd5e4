import type { IncomingMessage, ServerResponse } from "node:http";
import { errorToJson, stringifyJson } from "../devnet/error-json.js";

/**
 * The live view as server-sent events: while at least one page is open it takes a snapshot every
 * `intervalMs` (one at a time: a slow node never piles up calls) and sends it to every page when it
 * changed; `refresh()` takes one at once. A failed snapshot is sent as a `failure` event, and the next
 * good one replaces it. With no page open it does nothing.
 */
export class ViewFeed {
  private readonly pages = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private last = "";

  constructor(
    private readonly snapshot: () => Promise<unknown>,
    private readonly intervalMs: number,
  ) {}

  subscribe(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
    res.writeHead(200, { ...headers, "content-type": "text/event-stream", connection: "keep-alive" });
    this.pages.add(res);
    if (this.last) res.write(this.last);
    req.once("close", () => {
      this.pages.delete(res);
      if (this.pages.size === 0) this.stop();
    });
    if (!this.last || !this.timer) this.refresh();
  }

  /** Takes a snapshot now (after the one under way, if any). */
  refresh(): void {
    if (this.pages.size === 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = true;
    void this.take().finally(() => {
      this.running = false;
      if (this.pages.size === 0) return;
      if (this.again) {
        this.again = false;
        this.refresh();
      } else this.timer = setTimeout(() => this.refresh(), this.intervalMs);
    });
  }

  close(): void {
    this.stop();
    for (const page of this.pages) page.end();
    this.pages.clear();
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.last = "";
  }

  private async take(): Promise<void> {
    let message: string;
    try {
      message = `data: ${stringifyJson(await this.snapshot())}\n\n`;
    } catch (error) {
      message = `event: failure\ndata: ${stringifyJson(errorToJson(error))}\n\n`;
    }
    if (message === this.last) return;
    this.last = message;
    for (const page of this.pages) page.write(message);
  }
}
