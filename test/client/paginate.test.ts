import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { type PageToken, PageTokenSchema } from "../../src/client/gen/ldk_server/payment_pb.js";
import { paginate } from "../../src/client/paginate.js";

const token = (n: number) => create(PageTokenSchema, { token: `t${n}`, index: BigInt(n) });

describe("paginate", () => {
  it("follows tokens across pages and stops at the trailing empty page", async () => {
    const pages = [
      { items: [1, 2], nextPageToken: token(1) },
      { items: [3], nextPageToken: token(2) },
      { items: [] as number[], nextPageToken: undefined },
    ];
    const asked: (PageToken | undefined)[] = [];
    const seen: number[] = [];
    for await (const item of paginate(
      async (t) => {
        asked.push(t);
        return pages[asked.length - 1] ?? { items: [], nextPageToken: undefined };
      },
      (page) => page.items,
    )) {
      seen.push(item);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(asked.map((t) => t?.token)).toEqual([undefined, "t1", "t2"]);
  });

  it("stops on an empty page even if it carries a token, and fetches lazily", async () => {
    let fetches = 0;
    const iterator = paginate(
      async () => {
        fetches++;
        return { items: fetches === 1 ? ["a", "b"] : [], nextPageToken: token(fetches) };
      },
      (page) => page.items,
    );
    const first = await iterator.next();
    expect(first.value).toBe("a");
    expect(fetches).toBe(1);
    const rest: string[] = [];
    for await (const item of iterator) rest.push(item);
    expect(rest).toEqual(["b"]);
    expect(fetches).toBe(2);
  });
});
