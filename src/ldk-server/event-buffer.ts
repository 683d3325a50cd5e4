import {
  ChannelState,
  type ChannelStateChanged,
  type Event,
  type EventStream,
  type LdkServerClient,
  PaymentStatus,
} from "../client/index.js";
import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import type { Observable } from "../waits/diagnostics.js";
import { waitFor } from "../waits/wait-for.js";

/** How many events an EventBuffer keeps; past this the oldest are dropped (and counted in `dropped`). */
export const EVENT_HISTORY_LIMIT = 10_000;

/**
 * The events a node emitted since we subscribed (right after it started), up to the newest
 * EVENT_HISTORY_LIMIT. Waits look through that history, so an event that fired before the wait began is
 * not missed; one older than the newest 10,000 is no longer seen (a test emitting that many should wait
 * with `since: mark()`). Every wait watches the node itself (and what it depends on): its death ends
 * the wait at once with a WaitError of reason "daemon-exited".
 */
export class EventBuffer {
  private readonly events: Event[] = [];
  /** Events dropped from the front of the history to keep it within its limit. */
  dropped = 0;
  private readonly listeners = new Set<() => void>();
  private stream: EventStream | undefined;
  /** Why the subscription ended, if it did (daemon stopped or crashed). */
  ended: string | undefined;

  /**
   * @param limit how many events to keep.
   * @param watched the node these events come from, and the daemons it depends on (e.g. bitcoind):
   *   every wait watches them on top of its own `watch`.
   */
  constructor(
    private readonly limit = EVENT_HISTORY_LIMIT,
    private readonly watched: () => readonly Observable[] = () => [],
  ) {}

  /**
   * Subscribes and resolves once the server has accepted the subscription (within `timeoutMs`,
   * default DEFAULT_TIMEOUTS.streamReady). Its node calls it at every start.
   * @internal
   */
  async attach(client: LdkServerClient, options: CallOptions = {}): Promise<void> {
    this.stream?.close();
    const stream = client.subscribeEvents({}, options);
    this.stream = stream;
    this.ended = undefined;
    try {
      await stream.ready;
    } catch (error) {
      stream.close();
      if (this.stream === stream) this.stream = undefined;
      throw error;
    }
    void (async () => {
      try {
        for await (const event of stream) {
          this.events.push(event);
          if (this.events.length > this.limit) {
            this.events.shift();
            this.dropped++;
          }
          for (const listener of this.listeners) listener();
        }
        if (this.stream === stream) this.ended = "event stream ended";
      } catch (error) {
        if (this.stream === stream) this.ended = `event stream failed: ${(error as Error).message}`;
      }
      // Waits look again at once: the node may have died, which ends them.
      for (const listener of this.listeners) listener();
    })();
  }

  /**
   * Ends the subscription (its node stops or restarts); the history stays.
   * @internal
   */
  detach(): void {
    this.stream?.close();
    this.stream = undefined;
  }

  /** The kept events, oldest first. */
  all(): readonly Event[] {
    return this.events;
  }

  /** Calls `listener` on each new event until the returned function is called (a `wake` for waitFor). */
  readonly onEvent = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The number of events so far (dropped ones included): pass it as `since` to wait only for later ones. */
  mark(): number {
    return this.dropped + this.events.length;
  }

  /** The first event (at or after `since`) for which `match` returns a value; that value. */
  async waitFor<T>(
    what: string,
    match: (event: Event) => T | undefined,
    options: CallOptions & { since?: number; watch?: readonly Observable[] } = {},
  ): Promise<T> {
    const found = await waitFor(
      what,
      () => {
        for (const event of this.events.slice(Math.max(0, (options.since ?? 0) - this.dropped))) {
          const value = match(event);
          if (value !== undefined) return { value };
        }
        return {
          value: undefined,
          recentEvents: this.events.slice(-8).map(summarizeEvent),
          ended: this.ended,
        };
      },
      {
        until: (r) => r.value !== undefined,
        timeoutMs: options.timeoutMs ?? defaultTimeout("wait"),
        signal: options.signal,
        maxIntervalMs: defaultTimeout("pollEvents"),
        watch: [...new Set([...this.watched(), ...(options.watch ?? [])])],
        wake: this.onEvent,
      },
    );
    return found.value as T;
  }

  /** The first ChannelStateChanged event to `state` for the channel with this id or user channel id. */
  waitForChannelState(
    channel: { channelId: string } | { userChannelId: string },
    state: ChannelState,
    options: CallOptions & { since?: number; watch?: readonly Observable[] } = {},
  ): Promise<ChannelStateChanged> {
    const [key, id] =
      "channelId" in channel ? ["channelId", channel.channelId] : ["userChannelId", channel.userChannelId];
    return this.waitFor(
      `channel ${id} ${ChannelState[state]}`,
      (e) =>
        e.event.case === "channelStateChanged" &&
        e.event.value[key as "channelId"] === id &&
        e.event.value.state === state
          ? e.event.value
          : undefined,
      options,
    );
  }

  /**
   * The first event of one of `cases` about payment `paymentId` (for BOLT11 and keysend the id is the
   * payment hash on both sides), whether it happened before this call or after.
   */
  waitForPayment<K extends PaymentEventCase>(
    paymentId: string,
    cases: readonly K[],
    options: CallOptions & { watch?: readonly Observable[] } = {},
  ): Promise<Extract<Event["event"], { case: K }>> {
    return this.waitFor(
      `${cases.join(" or ")} for payment ${paymentId}`,
      (e) =>
        (cases as readonly string[]).includes(e.event.case ?? "") &&
        (e.event.value as { payment?: { id: string } }).payment?.id === paymentId
          ? (e.event as Extract<Event["event"], { case: K }>)
          : undefined,
      options,
    );
  }
}

export type PaymentEventCase = "paymentReceived" | "paymentSuccessful" | "paymentFailed" | "paymentClaimable";

/** One line per event for failure reports: kind, id and state, not the whole message. */
export function summarizeEvent({ event }: Event): string {
  switch (event.case) {
    case "channelStateChanged":
      return `channelStateChanged ${event.value.channelId} ${ChannelState[event.value.state]}`;
    case "paymentForwarded":
      return `paymentForwarded fee=${event.value.forwardedPayment?.totalFeeEarnedMsat ?? "?"}msat`;
    case undefined:
      return "unknown event";
    default: {
      const payment = event.value.payment;
      return `${event.case} ${payment?.id} ${payment ? PaymentStatus[payment.status] : ""}`.trim();
    }
  }
}
