import { open, readFile, stat } from "node:fs/promises";

/** The last `lines` lines of a text file (reads at most the last 64 KiB); [] if it does not exist yet. */
export async function tailLines(file: string, lines = 20): Promise<string[]> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, "r");
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const all = buffer.toString("utf8").split("\n");
    if (all.at(-1) === "") all.pop();
    return all.slice(-lines);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  } finally {
    await handle?.close();
  }
}

/** Size of a file in bytes, 0 if it does not exist yet (a mark for `readSince`). */
export async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** What was appended to a file after `offset` (e.g. this run's part of an appended console log). */
export async function readSince(file: string, offset: number): Promise<string> {
  const text = await readFile(file).catch(() => Buffer.alloc(0));
  return text.subarray(offset).toString("utf8");
}
