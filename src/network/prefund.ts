import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Bitcoind } from "../bitcoind/bitcoind.js";
import { newMnemonic, receiveDescriptor } from "../ldk-server/node-seed.js";

/** What prefund did: the funding transaction, what it pays each node, and the height to scan from. */
export interface Prefunded {
  txid: string;
  sats: Record<string, number>;
  rescanFromHeight: number;
}

/**
 * Funds nodes before they start, saving a chain poll (2 s) on every start: gives each node a wallet
 * seed of ours (`<storage>/keys_mnemonic`, 0600, which ldk-server reads instead of making one),
 * derives its first receiving address through bitcoind, pays all of them in one transaction and mines
 * it. Nodes started with `rescanFromHeight` find the funds in their first sync.
 */
export async function prefund(
  bitcoind: Bitcoind,
  storageDirs: Record<string, string>,
  sats: Record<string, number>,
): Promise<Prefunded> {
  const addresses = await Promise.all(
    Object.entries(sats).map(async ([name, amount]) => {
      const mnemonic = newMnemonic();
      const dir = storageDirs[name] as string; // the caller made one for every node
      await writeFile(path.join(dir, "keys_mnemonic"), `${mnemonic}\n`, { mode: 0o600, flag: "wx" });
      return [await bitcoind.deriveAddress(receiveDescriptor(mnemonic)), amount] as const;
    }),
  );
  const txid = await bitcoind.send(Object.fromEntries(addresses));
  const rescanFromHeight = await bitcoind.rpc.getBlockCount();
  await bitcoind.generate(1);
  return { txid, sats, rescanFromHeight };
}
