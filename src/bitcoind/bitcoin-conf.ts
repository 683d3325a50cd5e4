export interface BitcoinConfOptions {
  rpcPort: number;
  p2pPort: number;
  rpcUser: string;
  rpcPassword: string;
}

/**
 * bitcoin.conf for a private regtest node: everything bound to 127.0.0.1, no peers, no seeds, and a
 * fallback fee so the wallet can send on a young chain without fee estimates. Credentials live in this
 * 0600 file rather than on the command line, where `ps` would show them.
 */
export function renderBitcoinConf(o: BitcoinConfOptions): string {
  return `${[
    "regtest=1",
    "server=1",
    "listen=1",
    "dnsseed=0",
    "fixedseeds=0",
    "listenonion=0",
    "discover=0",
    "natpmp=0", // no port mapping on the LAN's router (UPnP is gone from Core since v29)
    "printtoconsole=0",
    "fallbackfee=0.0002",
    // The harness's wallet needs a handful of addresses, not 1000 keys per descriptor derived up front:
    // createwallet takes ~15 ms instead of ~470 ms.
    "keypool=1",
    // Dozens of nodes call at once (a 64-node ring): room in the queue and threads to serve them.
    "rpcworkqueue=512",
    "rpcthreads=16",
    "[regtest]",
    `rpcuser=${o.rpcUser}`,
    `rpcpassword=${o.rpcPassword}`,
    "rpcbind=127.0.0.1",
    "rpcallowip=127.0.0.1",
    `rpcport=${o.rpcPort}`,
    `bind=127.0.0.1:${o.p2pPort}`,
    `port=${o.p2pPort}`,
  ].join("\n")}\n`;
}
