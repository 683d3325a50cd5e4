import type { PageToken } from "./gen/ldk_server/payment_pb.js";

/**
 * Every item of a paginated list, fetching pages as the caller iterates. The daemon returns a token
 * after every non-empty page, so the end is the first empty page (which carries no token).
 */
export async function* paginate<P extends { nextPageToken?: PageToken }, T>(
  fetchPage: (token: PageToken | undefined) => Promise<P>,
  items: (page: P) => T[],
): AsyncGenerator<T> {
  let token: PageToken | undefined;
  do {
    const page = await fetchPage(token);
    const batch = items(page);
    yield* batch;
    token = batch.length > 0 ? page.nextPageToken : undefined;
  } while (token);
}
