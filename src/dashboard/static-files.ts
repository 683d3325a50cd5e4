import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** The page's files, shipped in the package's `static/dashboard/` (no build step, nothing fetched). */
const FILES = {
  "/": { name: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { name: "app.js", type: "text/javascript; charset=utf-8" },
  "/style.css": { name: "style.css", type: "text/css; charset=utf-8" },
} as const;

export interface StaticFile {
  type: string;
  body: Buffer;
}

/** `static/dashboard/` of the package: two levels up from this file, in `src/` and in `dist/` alike. */
export const STATIC_DIR = fileURLToPath(new URL("../../static/dashboard/", import.meta.url));

/** Reads the page's files once, by the path they are served at. */
export async function loadStaticFiles(dir = STATIC_DIR): Promise<Map<string, StaticFile>> {
  const entries = await Promise.all(
    Object.entries(FILES).map(
      async ([route, { name, type }]) => [route, { type, body: await readFile(`${dir}${name}`) }] as const,
    ),
  );
  return new Map(entries);
}
