import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { defaultTimeout } from "../common/durations.js";
import { LdkRegtestError } from "../common/errors.js";

export interface DownloadOptions {
  signal?: AbortSignal;
  /** Give up when no byte arrives for this long (default DEFAULT_TIMEOUTS.downloadStall, 30 s). */
  stallTimeoutMs?: number;
  /** Called as bytes arrive; `total` is undefined when the server sends no content-length. */
  onProgress?: (received: number, total: number | undefined) => void;
}

/** A failed download (code INSTALL_FAILED, or ABORTED when interrupted): `data.url`, `data.file`. */
export class DownloadError extends LdkRegtestError {
  override readonly name = "DownloadError";
}

/** Downloads `url` into `file`, hashing as it goes. Every failure names the URL and what went wrong. */
export async function download(
  url: string,
  file: string,
  options: DownloadOptions = {},
): Promise<{ sha256: string; bytes: number }> {
  const stallTimeoutMs = options.stallTimeoutMs ?? defaultTimeout("downloadStall");
  const stalled = new AbortController();
  let stallTimer = setTimeout(() => stalled.abort(), stallTimeoutMs);
  const touch = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => stalled.abort(), stallTimeoutMs);
  };
  const signal = options.signal ? AbortSignal.any([options.signal, stalled.signal]) : stalled.signal;
  // An interrupted download is ABORTED; any other failure INSTALL_FAILED.
  const fail = (why: string, cause?: unknown, code: "INSTALL_FAILED" | "ABORTED" = "INSTALL_FAILED") =>
    new DownloadError(code, `download of ${url} failed: ${why}`, { cause, data: { url, file } });
  const out = createWriteStream(file, { mode: 0o600 });
  // A write still in flight when an abort destroys the stream errors later: seen, not thrown (an
  // 'error' event without a listener would crash the process, e.g. the CLI on Ctrl-C).
  let writeError: Error | undefined;
  out.on("error", (error) => {
    writeError ??= error;
  });
  const hash = createHash("sha256");
  let received = 0;
  let total: number | undefined;
  try {
    const response = await fetch(url, { signal, redirect: "follow" });
    if (!response.ok || !response.body) {
      throw fail(
        `HTTP ${response.status}${response.status === 404 ? " (no such release there: check the version and the mirror)" : ""}`,
      );
    }
    const length = Number(response.headers.get("content-length"));
    total = Number.isFinite(length) && length > 0 ? length : undefined;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      touch();
      received += chunk.length;
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, "drain");
      if (writeError) throw fail(`could not write ${file}: ${writeError.message}`, writeError);
      options.onProgress?.(received, total);
    }
    if (total !== undefined && received !== total) {
      throw fail(`the connection was cut after ${received} of ${total} bytes`);
    }
    out.end();
    await once(out, "finish");
    return { sha256: hash.digest("hex"), bytes: received };
  } catch (error) {
    out.destroy();
    if (error instanceof DownloadError) throw error;
    if (options.signal?.aborted)
      throw fail(`interrupted (${String(options.signal.reason)})`, error, "ABORTED");
    if (stalled.signal.aborted)
      throw fail(`no data for ${stallTimeoutMs / 1000} s after ${received} bytes`, error);
    const detail = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw fail(
      total !== undefined && received < total
        ? `the connection was cut after ${received} of ${total} bytes (${detail})`
        : detail,
      error,
    );
  } finally {
    clearTimeout(stallTimer);
  }
}
