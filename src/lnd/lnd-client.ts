import { createHash, randomBytes } from "node:crypto";
import type { CallOptions } from "../common/call-options.js";
import type { LndRest } from "./lnd-rest.js";

// The REST shapes we use, written from lnd's API reference (int64s come as strings, bytes as base64).

/** lnd's wallet and server state, from its state service (`SERVER_ACTIVE` once it serves RPCs). */
export type LndState =
  | "NON_EXISTING"
  | "LOCKED"
  | "UNLOCKED"
  | "RPC_ACTIVE"
  | "SERVER_ACTIVE"
  | "WAITING_TO_START";

/** What lnd's `GetInfo` answers (`/v1/getinfo`), the fields used here. */
export interface LndInfo {
  identity_pubkey: string;
  alias: string;
  block_height: number;
  synced_to_chain: boolean;
  synced_to_graph: boolean;
  num_active_channels?: number;
}

/** One open channel as lnd lists it (`/v1/channels`). */
export interface LndChannel {
  active: boolean;
  remote_pubkey: string;
  /** `<txid>:<output index>`. */
  channel_point: string;
  /** The short channel id (block height, tx index, output) as a decimal uint64. */
  chan_id: string;
  capacity: string;
  local_balance: string;
  remote_balance: string;
  private: boolean;
  initiator: boolean;
  local_constraints?: { chan_reserve_sat?: string };
  remote_constraints?: { chan_reserve_sat?: string };
}

/** A channel lnd is opening (`/v1/channels/pending`, `pending_open_channels`). */
export interface LndPendingChannel {
  channel: {
    remote_node_pub: string;
    channel_point: string;
    capacity: string;
    local_balance: string;
    remote_balance: string;
    initiator: "INITIATOR_LOCAL" | "INITIATOR_REMOTE" | string;
    private: boolean;
  };
  confirmations_until_active?: number;
}

/** A channel lnd force-closed, or saw force-closed, whose outputs are not all swept yet. */
export interface LndForceClosingChannel {
  channel: LndPendingChannel["channel"];
  closing_txid?: string;
  /** Ours still locked in the closed channel (to_self output, HTLCs). */
  limbo_balance?: string;
  /** When our to_self output can be swept (0 while its commitment is unconfirmed or it has none). */
  maturity_height?: number;
  /** Blocks to `maturity_height` (negative once past it). */
  blocks_til_maturity?: number;
  pending_htlcs?: {
    incoming: boolean;
    amount: string;
    outpoint: string;
    maturity_height?: number;
    blocks_til_maturity?: number;
    stage?: number;
  }[];
}

/** A closed channel whose closing transaction is not confirmed yet. */
export interface LndWaitingCloseChannel {
  channel: LndPendingChannel["channel"];
  limbo_balance?: string;
  closing_txid?: string;
}

/** A payment lnd sent, as lnd's router reports it. */
export interface LndPayment {
  payment_hash: string;
  status: "UNKNOWN" | "IN_FLIGHT" | "SUCCEEDED" | "FAILED" | "INITIATED";
  value_sat?: string;
  value_msat?: string;
  creation_time_ns?: string;
  fee_msat?: string;
  failure_reason?: string;
  payment_preimage?: string;
}

/** An invoice of lnd's, as `/v1/invoice/<hash>` reports it. */
export interface LndInvoice {
  r_hash: string;
  payment_request: string;
  state: "OPEN" | "SETTLED" | "CANCELED" | "ACCEPTED";
  value_msat?: string;
  amt_paid_msat?: string;
  is_keysend?: boolean;
  creation_date?: string;
  settle_date?: string;
}

export interface LndForward {
  amt_out_msat?: string;
  fee_msat?: string;
}

/** The keysend TLV record: its value is the preimage (BOLT-less convention all implementations use). */
const KEYSEND_RECORD = "5482373484";

/** Bytes as lnd's REST gateway takes them in bodies. */
const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");
const hex = (base64: string) => Buffer.from(base64, "base64").toString("hex");

/**
 * A small typed client of lnd's REST API: what a test of a mixed network needs, by lnd's own names.
 * Hashes and keys are hex here (lnd's REST takes base64); amounts are strings or bigints as lnd sends them.
 */
export class LndClient {
  /** A client over `rest`, an {@link LndRest} that holds lnd's address, certificate and macaroon. */
  constructor(readonly rest: LndRest) {}

  /** lnd's state service (also answers before the wallet is unlocked). */
  async state(options?: CallOptions): Promise<LndState> {
    return (await this.rest.get<{ state: LndState }>("/v1/state", options)).state;
  }

  /** lnd's `GetInfo`: identity key, alias, block height, sync state. */
  getInfo(options?: CallOptions): Promise<LndInfo> {
    return this.rest.get<LndInfo>("/v1/getinfo", options);
  }

  /** A fresh P2WPKH address of lnd's wallet. */
  async newAddress(options?: CallOptions): Promise<string> {
    const path = "/v1/newaddress?type=WITNESS_PUBKEY_HASH";
    return (await this.rest.get<{ address: string }>(path, options)).address;
  }

  /** lnd's on-chain wallet balance (`/v1/balance/blockchain`), amounts as strings of sats. */
  walletBalance(options?: CallOptions): Promise<{
    total_balance: string;
    confirmed_balance: string;
    unconfirmed_balance: string;
  }> {
    return this.rest.get("/v1/balance/blockchain", options);
  }

  /** The sum of lnd's channel balances (`/v1/balance/channels`), local and remote. */
  channelBalance(
    options?: CallOptions,
  ): Promise<{ local_balance?: { sat: string }; remote_balance?: { sat: string } }> {
    return this.rest.get("/v1/balance/channels", options);
  }

  /** Connects (permanently: lnd redials it); an existing connection is not an error. */
  async connectPeer(request: { pubkey: string; host: string }, options?: CallOptions): Promise<void> {
    const body = { addr: { pubkey: request.pubkey, host: request.host }, perm: true };
    await this.rest.post("/v1/peers", body, options).catch((error: Error) => {
      if (!/already connected/.test(error.message)) throw error;
    });
  }

  /** The identity keys of the peers lnd is connected to now (`/v1/peers`). */
  async peers(options?: CallOptions): Promise<string[]> {
    const res = await this.rest.get<{ peers?: { pub_key: string }[] }>("/v1/peers", options);
    return (res.peers ?? []).map((p) => p.pub_key);
  }

  /** OpenChannelSync: resolves once the funding transaction is published, with its outpoint. */
  async openChannel(
    request: { pubkey: string; sats: bigint; pushSats?: bigint; private?: boolean },
    options?: CallOptions,
  ): Promise<{ txid: string; outputIndex: number }> {
    const point = await this.rest.post<{ funding_txid_bytes: string; output_index?: number }>(
      "/v1/channels",
      {
        node_pubkey: b64(request.pubkey),
        local_funding_amount: String(request.sats),
        push_sat: String(request.pushSats ?? 0n),
        private: request.private ?? false,
      },
      options,
    );
    // The gateway sends the txid's bytes in internal order: reversed, it is the txid as displayed.
    const txid = Buffer.from(point.funding_txid_bytes, "base64").reverse().toString("hex");
    return { txid, outputIndex: point.output_index ?? 0 };
  }

  /** lnd's open channels. */
  async listChannels(options?: CallOptions): Promise<LndChannel[]> {
    return (await this.rest.get<{ channels?: LndChannel[] }>("/v1/channels", options)).channels ?? [];
  }

  /** lnd's channels that are still opening. */
  async pendingChannels(options?: CallOptions): Promise<LndPendingChannel[]> {
    const res = await this.rest.get<{ pending_open_channels?: LndPendingChannel[] }>(
      "/v1/channels/pending",
      options,
    );
    return res.pending_open_channels ?? [];
  }

  /** Closed channels not yet resolved: closing transaction unconfirmed, or outputs still to sweep. */
  async pendingCloses(options?: CallOptions): Promise<{
    waitingClose: LndWaitingCloseChannel[];
    forceClosing: LndForceClosingChannel[];
  }> {
    const res = await this.rest.get<{
      waiting_close_channels?: LndWaitingCloseChannel[];
      pending_force_closing_channels?: LndForceClosingChannel[];
    }>("/v1/channels/pending", options);
    return {
      waitingClose: res.waiting_close_channels ?? [],
      forceClosing: res.pending_force_closing_channels ?? [],
    };
  }

  /** CloseChannel by its channel point (`<txid>:<index>`): resolves once the closing transaction is broadcast, with its txid. */
  async closeChannel(
    { channelPoint, force = false }: { channelPoint: string; force?: boolean },
    options?: CallOptions,
  ): Promise<string> {
    const [txid, index] = channelPoint.split(":");
    const update = await this.rest.first<{ close_pending?: { txid: string } }>(
      "DELETE",
      `/v1/channels/${txid}/${index}?force=${force}`,
      undefined,
      options,
    );
    return Buffer.from(update.close_pending?.txid ?? "", "base64")
      .reverse()
      .toString("hex");
  }

  /** Announced channels in lnd's view of the graph. */
  async graphChannelCount(options?: CallOptions): Promise<number> {
    return (await this.rest.get<{ edges?: unknown[] }>("/v1/graph", options)).edges?.length ?? 0;
  }

  /** Creates a BOLT11 invoice (`amountMsat` absent or 0n: any amount) and returns it with its payment hash in hex. */
  async addInvoice(
    request: { amountMsat?: bigint; memo: string; expirySecs: number },
    options?: CallOptions,
  ) {
    const body = {
      value_msat: String(request.amountMsat ?? 0n),
      memo: request.memo,
      expiry: String(request.expirySecs),
    };
    const res = await this.rest.post<{ r_hash: string; payment_request: string }>(
      "/v1/invoices",
      body,
      options,
    );
    return { invoice: res.payment_request, paymentHash: hex(res.r_hash) };
  }

  /** The invoice of this payment hash (hex), or undefined when lnd has none. */
  async lookupInvoice(
    { paymentHash }: { paymentHash: string },
    options?: CallOptions,
  ): Promise<LndInvoice | undefined> {
    return this.rest.get<LndInvoice>(`/v1/invoice/${paymentHash}`, options).catch((error: Error) => {
      if (/unable to locate invoice|not found/i.test(error.message)) return undefined;
      throw error;
    });
  }

  /** SendPaymentV2: resolves once lnd took the payment (its first update). */
  sendPayment(
    request: { invoice: string; timeoutSecs?: number; feeLimitSat?: bigint },
    options?: CallOptions,
  ): Promise<LndPayment> {
    const body = {
      payment_request: request.invoice,
      timeout_seconds: request.timeoutSecs ?? 60,
      fee_limit_sat: String(request.feeLimitSat ?? 10_000n),
    };
    return this.rest.first<LndPayment>("POST", "/v2/router/send", body, options);
  }

  /**
   * A keysend: the preimage is ours, sent in the keysend record. `finalCltvDelta` defaults to 144,
   * what ldk-server asks of an inbound keysend (with less it fails the payment).
   */
  keysend(
    request: { dest: string; amountMsat: bigint; finalCltvDelta?: number; timeoutSecs?: number },
    options?: CallOptions,
  ): Promise<LndPayment> {
    const preimage = randomBytes(32);
    const body = {
      dest: b64(request.dest),
      amt_msat: String(request.amountMsat),
      payment_hash: createHash("sha256").update(preimage).digest("base64"),
      dest_custom_records: { [KEYSEND_RECORD]: preimage.toString("base64") },
      final_cltv_delta: request.finalCltvDelta ?? 144,
      timeout_seconds: request.timeoutSecs ?? 60,
      fee_limit_sat: "10000",
    };
    return this.rest.first<LndPayment>("POST", "/v2/router/send", body, options);
  }

  /** A payment this node sent, by its hash (hex), or undefined. */
  async payment(
    { paymentHash }: { paymentHash: string },
    options?: CallOptions,
  ): Promise<LndPayment | undefined> {
    const res = await this.rest.get<{ payments?: LndPayment[] }>(
      "/v1/payments?include_incomplete=true&max_payments=1000",
      options,
    );
    return res.payments?.find((p) => p.payment_hash === paymentHash);
  }

  /** The last `max` payments this node sent (lnd lists oldest first; `reversed` pages from the newest). */
  async recentPayments({ max }: { max: number }, options?: CallOptions): Promise<LndPayment[]> {
    const res = await this.rest.get<{ payments?: LndPayment[] }>(
      `/v1/payments?include_incomplete=true&reversed=true&max_payments=${max}`,
      options,
    );
    return res.payments ?? [];
  }

  /** The last `max` invoices of this node: what it was paid, or is waiting to be paid. */
  async recentInvoices({ max }: { max: number }, options?: CallOptions): Promise<LndInvoice[]> {
    const res = await this.rest.get<{ invoices?: LndInvoice[] }>(
      `/v1/invoices?reversed=true&num_max_invoices=${max}`,
      options,
    );
    return res.invoices ?? [];
  }

  /** HTLCs this node forwarded (ForwardingHistory from the epoch on, up to `max`), oldest first. */
  async forwards({ max }: { max: number }, options?: CallOptions): Promise<LndForward[]> {
    const body = { start_time: "1", num_max_events: max };
    const res = await this.rest.post<{ forwarding_events?: LndForward[] }>("/v1/switch", body, options);
    return res.forwarding_events ?? [];
  }

  /** What `JSON.stringify` shows of the client: lnd's REST address, never the macaroon. */
  toJSON(): Record<string, unknown> {
    return { rest: this.rest.address };
  }
}
