import { defineConfig } from "vitest/config";

export default defineConfig({
  // A test's time includes starting its network (about a second from the cache, longer the first time).
  test: { testTimeout: 120_000, fileParallelism: false },
});
