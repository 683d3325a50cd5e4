import { createHash, createHmac } from "node:crypto";
import { generateMnemonic, mnemonicToSeedSync } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";

/**
 * A node's wallet seed chosen by us instead of by ldk-server, so that its first on-chain address is
 * known before it starts (and can be funded then). ldk-server reads `<storage>/keys_mnemonic` (24
 * BIP39 words) when present; ldk-node turns it into a BIP32 master key with an empty passphrase and
 * keeps its on-chain wallet under BIP84 (`wpkh(<master>/84'/1'/0'/0/*)` on test networks).
 */
export function newMnemonic(): string {
  return generateMnemonic(wordlist, 256);
}

/** The descriptor of the node's receiving addresses (without checksum), as bitcoind's deriveaddresses takes it. */
export function receiveDescriptor(mnemonic: string): string {
  return `wpkh(${masterKey(mnemonicToSeedSync(mnemonic), TESTNET_PRIVATE)}/84h/1h/0h/0/*)`;
}

const TESTNET_PRIVATE = 0x04358394; // "tprv"; regtest uses the testnet versions

/** BIP32: the serialized master private key of a seed (HMAC-SHA512 keyed "Bitcoin seed"). */
export function masterKey(seed: Uint8Array, version: number): string {
  const digest = createHmac("sha512", "Bitcoin seed").update(seed).digest();
  const key = Buffer.alloc(78);
  key.writeUInt32BE(version, 0); // depth 0, parent fingerprint 0, child number 0 follow as zeros
  digest.copy(key, 13, 32, 64); // chain code
  digest.copy(key, 46, 0, 32); // 0x00 then the private key
  return base58check(key);
}

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58check(payload: Buffer): string {
  const sha = (b: Buffer) => createHash("sha256").update(b).digest();
  const data = Buffer.concat([payload, sha(sha(payload)).subarray(0, 4)]);
  let n = BigInt(`0x${data.toString("hex")}`);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const byte of data) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}
