/**
 * A topology's shape, as in an `ldk-regtest.toml` file: types only, below every node kind, so that a
 * kind's driver can read its own entries (src/network/topology.ts checks them).
 */

/** One node of a topology: its funding, and what it runs with. */
export interface NodeSpec {
  /** Its implementation: the name of a registered node kind (`kindNames()`); default the first. */
  kind?: string;
  /** Funded from bitcoind at start; default: its channels' capacity plus FUNDING_MARGIN_SATS. */
  onchain_sats?: number;
  /** Its Lightning alias (default: the node's name). */
  alias?: string;
  /**
   * ldk-server: extra TOML merged into the generated config; lnd: extra options by lnd's flag names
   * (`{ "bitcoin.timelockdelta": 40 }`). Not the keys ldk-regtest sets.
   */
  config?: Record<string, unknown>;
  /** An LSP (a kind with the `lsps2` capability): its JIT-channel terms; `{}` takes LSPS2_SERVICE_DEFAULTS. */
  lsps2_service?: Lsps2ServiceSpec;
  /** The name of this node's LSP (a node with `lsps2_service`): it buys JIT channels from it. */
  lsps2_client?: string;
}

/** A channel opened at start; `announce` defaults to true (forwarding needs announced channels). */
export interface ChannelSpec {
  from: string;
  to: string;
  sats: number;
  push_sats?: number;
  announce?: boolean;
}

/** Nodes and channels, as in an `ldk-regtest.toml` file (the same keys as an object). */
export interface Topology {
  nodes: Record<string, NodeSpec>;
  channels?: ChannelSpec[];
}

/** An LSP's terms (LSPS2), as in ldk-server's `[liquidity.lsps2_service]` (amounts in msat). */
export interface Lsps2ServiceSpec {
  /** Proportional opening fee, parts per million of the payment. */
  channel_opening_fee_ppm?: number;
  /** The opening fee is at least this (msat). */
  min_channel_opening_fee_msat?: number;
  /** The channel is this much larger than the payment (ppm). */
  channel_over_provisioning_ppm?: number;
  min_payment_size_msat?: number;
  max_payment_size_msat?: number;
  /** Blocks the LSP promises to keep the channel open. */
  min_channel_lifetime?: number;
  max_client_to_self_delay?: number;
  /**
   * Hold the funding transaction until the client claims the payment. Off by default: ldk-server's
   * client does not accept 0-conf channels from its LSP, so it waits for 6 confirmations of a
   * transaction the LSP would never broadcast, and the payment hangs.
   */
  client_trusts_lsp?: boolean;
  disable_client_reserve?: boolean;
  /** Clients must present this token; a client of this LSP gets it written into its config. */
  require_token?: string;
}
