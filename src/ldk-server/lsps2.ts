/**
 * LSPS2 (JIT channels) in a topology: a node with `lsps2_service` runs ldk-server's LSP build and opens a
 * channel to a client the moment a payment for it arrives; a node with `lsps2_client = "<lsp>"` buys
 * those channels from it. ldk-regtest writes both `[liquidity]` sections.
 */
import type { Lsps2ServiceSpec } from "../node/topology-spec.js";

/**
 * Terms that suit tests. The fee is small because ldk-node's client checks the fee withheld from a
 * variable-amount payment against the LSP's ppm applied to the amount *after* the fee: with 100 ppm
 * and a 2 sat floor, both invoice kinds pass for payments of 20,000 sat to 100,000 sat in whole
 * multiples of 10 sat (see docs/lsp-jit.md). The channel is half again the payment: the
 * LSP must keep its 1,000 sat reserve and the commitment's anchors and fee on top of what it forwards.
 */
export const LSPS2_SERVICE_DEFAULTS = {
  channel_opening_fee_ppm: 100,
  min_channel_opening_fee_msat: 2_000,
  channel_over_provisioning_ppm: 500_000,
  min_payment_size_msat: 10_000_000,
  max_payment_size_msat: 1_000_000_000,
  min_channel_lifetime: 100,
  max_client_to_self_delay: 1024,
  client_trusts_lsp: false,
  disable_client_reserve: false,
} as const satisfies Required<Omit<Lsps2ServiceSpec, "require_token">>;

const NUMBER_KEYS = [
  "channel_opening_fee_ppm",
  "min_channel_opening_fee_msat",
  "channel_over_provisioning_ppm",
  "min_payment_size_msat",
  "max_payment_size_msat",
  "min_channel_lifetime",
  "max_client_to_self_delay",
] as const;
const BOOLEAN_KEYS = ["client_trusts_lsp", "disable_client_reserve"] as const;
const SERVICE_KEYS: readonly string[] = [...NUMBER_KEYS, ...BOOLEAN_KEYS, "require_token"];
/** u32 in ldk-server's config; the msat amounts are u64 (safe integers here). */
const U32_KEYS: readonly string[] = [
  "channel_opening_fee_ppm",
  "channel_over_provisioning_ppm",
  "min_channel_lifetime",
  "max_client_to_self_delay",
];

/** The LSP's terms with the defaults filled in. */
export function lsps2Terms(
  spec: Lsps2ServiceSpec,
): Required<Omit<Lsps2ServiceSpec, "require_token">> & Pick<Lsps2ServiceSpec, "require_token"> {
  return { ...LSPS2_SERVICE_DEFAULTS, ...spec };
}

/**
 * The opening fee an LSP with these terms withholds from a payment of `paymentMsat` (LSPS2: the
 * proportional fee rounded up, at least the minimum). The client receives the payment minus this.
 */
export function jitOpeningFeeMsat(paymentMsat: bigint, spec: Lsps2ServiceSpec = {}): bigint {
  const terms = lsps2Terms(spec);
  const proportional = (paymentMsat * BigInt(terms.channel_opening_fee_ppm) + 999_999n) / 1_000_000n;
  const min = BigInt(terms.min_channel_opening_fee_msat);
  return proportional > min ? proportional : min;
}

/** Why `value` is not a valid `lsps2_service` table (the key and the reason), or undefined. */
export function lsps2ServiceProblem(value: unknown): { key: string; why: string } | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { key: "", why: "expected a table of the LSP's terms ({} for the test defaults)" };
  for (const [key, v] of Object.entries(value)) {
    if (!SERVICE_KEYS.includes(key)) return { key, why: `unknown key (known: ${SERVICE_KEYS.join(", ")})` };
    if ((BOOLEAN_KEYS as readonly string[]).includes(key) && typeof v !== "boolean")
      return { key, why: "expected true or false" };
    if (key === "require_token" && (typeof v !== "string" || v === ""))
      return { key, why: "expected a non-empty string" };
    if ((NUMBER_KEYS as readonly string[]).includes(key)) {
      const max = U32_KEYS.includes(key) ? 2 ** 32 - 1 : Number.MAX_SAFE_INTEGER;
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v > max)
        return { key, why: `expected a whole number from 0 to ${max}, got ${JSON.stringify(String(v))}` };
    }
  }
  const terms = lsps2Terms(value as Lsps2ServiceSpec);
  if (terms.min_payment_size_msat > terms.max_payment_size_msat)
    return {
      key: "min_payment_size_msat",
      why: `${terms.min_payment_size_msat} is above max_payment_size_msat ${terms.max_payment_size_msat}`,
    };
  return undefined;
}

/** ldk-server's `[liquidity.lsps2_service]` table for an LSP with these terms. */
export function lsps2ServiceTable(spec: Lsps2ServiceSpec): Record<string, unknown> {
  // Clients are configured with the LSP directly, so it need not advertise itself in gossip.
  return { advertise_service: false, ...lsps2Terms(spec) };
}

/** ldk-server's `[liquidity.lsps2_client]` table: the LSP as it runs now. */
export function lsps2ClientTable(
  lsp: { nodeId: string; p2pAddress: string },
  spec: Lsps2ServiceSpec,
): Record<string, unknown> {
  return {
    node_pubkey: lsp.nodeId,
    address: lsp.p2pAddress,
    ...(spec.require_token === undefined ? {} : { token: spec.require_token }),
  };
}
