import { badOption } from "../common/errors.js";
import type { ChainSource } from "../node/node-daemon.js";

export interface LndConfigOptions {
  lndDir: string;
  p2pPort: number;
  grpcPort: number;
  restPort: number;
  alias: string;
  /** lnd polls this bitcoind's RPC directly (our bitcoind has no ZMQ). */
  bitcoind: ChainSource;
}

/** Options ldk-regtest owns: where lnd lives, listens and reads the chain, and how it is unlocked. */
const OWNED =
  /^(lnddir|configfile|datadir|logdir|listen|rpclisten|restlisten|alias|noseedbackup|tlscertpath|tlskeypath|adminmacaroonpath|bitcoin\.(regtest|node|mainnet|testnet|testnet4|signet|simnet)$|bitcoind\.)/;

/**
 * lnd.conf for a regtest node on 127.0.0.1, polling our bitcoind's RPC every 100 ms. Written 0600: it
 * holds bitcoind's RPC password (a file, not flags, so no `ps` shows it).
 */
export function renderLndConfig(o: LndConfigOptions): string {
  if (Buffer.byteLength(o.alias) > 32) {
    throw badOption("alias", `node alias "${o.alias}" is longer than 32 bytes`, { value: o.alias });
  }
  const lines = [
    "[Application Options]",
    `lnddir=${o.lndDir}`,
    `listen=127.0.0.1:${o.p2pPort}`,
    `rpclisten=127.0.0.1:${o.grpcPort}`,
    `restlisten=127.0.0.1:${o.restPort}`,
    `alias=${o.alias}`,
    // No seed to write down: the wallet is created (and later unlocked) with lnd's default password.
    "noseedbackup=true",
    "accept-keysend=true",
    // The certificate names localhost and 127.0.0.1 only, not this machine's other addresses.
    "tlsdisableautofill=true",
    "nobootstrap=true",
    // Gossip goes out after 50 ms instead of 90 s: the graph is complete soon after the channels.
    "trickledelay=50",
    // A topology may open several channels to one lnd at once (its default allows one pending).
    "maxpendingchannels=10",
    "debuglevel=info",
    "",
    "[Bitcoin]",
    "bitcoin.regtest=true",
    "bitcoin.node=bitcoind",
    "",
    "[Bitcoind]",
    `bitcoind.rpchost=${o.bitcoind.rpcAddress}`,
    `bitcoind.rpcuser=${o.bitcoind.rpcUser}`,
    `bitcoind.rpcpass=${o.bitcoind.rpcPassword}`,
    "bitcoind.rpcpolling=true",
    "bitcoind.blockpollinginterval=100ms",
    "bitcoind.txpollinginterval=100ms",
    "",
  ];
  return lines.join("\n");
}

/**
 * A topology's `config` for an lnd node, as command-line flags (they override lnd.conf):
 * `{ "bitcoin.timelockdelta": 40, "protocol.wumbo-channels": true }`. Keys ldk-regtest owns are refused.
 */
export function lndExtraArgs(extra: Record<string, unknown> | undefined): string[] {
  return Object.entries(extra ?? {}).map(([key, value]) => {
    if (OWNED.test(key)) {
      throw badOption(
        "config",
        `lnd option ${key} is set by ldk-regtest (its dir, ports, alias, chain backend and wallet are managed); leave it out`,
        { key },
      );
    }
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(key) || (typeof value === "object" && value !== null)) {
      throw badOption(
        "config",
        `lnd option ${key}: give lnd's own flag name (e.g. "bitcoin.timelockdelta") with a string, number or boolean`,
        { key },
      );
    }
    return `--${key}=${String(value)}`;
  });
}
