/**
 * The BOLT 2 channel id of a funding outpoint `<txid>:<index>` (what both ldk-server and our lnd shapes
 * report as `channelId`): the txid's bytes in internal order with the output index XORed into the last two.
 */
export function channelIdOf(channelPoint: string): string {
  const [txid = "", index = "0"] = channelPoint.split(":");
  const id = Buffer.from(txid, "hex").reverse();
  const n = Number(index);
  id[30] = (id[30] ?? 0) ^ ((n >> 8) & 0xff);
  id[31] = (id[31] ?? 0) ^ (n & 0xff);
  return id.toString("hex");
}

/** The funding outpoint of a channel from its id and funding txid: `channelIdOf` the other way round. */
export function fundingOutpointOf(channelId: string, fundingTxid: string): { txid: string; vout: number } {
  const id = Buffer.from(channelId, "hex");
  const txid = Buffer.from(fundingTxid, "hex").reverse();
  const vout = (((id[30] ?? 0) ^ (txid[30] ?? 0)) << 8) | ((id[31] ?? 0) ^ (txid[31] ?? 0));
  return { txid: fundingTxid, vout };
}
