/**
 * Who owns the process with this pid: "ours" (our user: we can signal it), "other" (it exists, but is
 * another user's), or undefined (no such process). Signal 0 checks without sending anything.
 */
export function processOwner(pid: number): "ours" | "other" | undefined {
  try {
    process.kill(pid, 0);
    return "ours";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM" ? "other" : undefined;
  }
}
