import { badOption } from "../common/errors.js";

/** Every bitcoin there will ever be: no channel or payment is larger. */
export const MAX_MONEY_SATS = 21_000_000 * 100_000_000;

const MAX_MSAT = BigInt(MAX_MONEY_SATS) * 1000n;

/** An amount as upstream's CLI writes it: `50sat` or `50000msat` (a bare number is refused: which unit?). */
export function parseAmountMsat(text: string): bigint {
  const match = /^(\d+)(sat|msat)$/.exec(String(text).trim().replaceAll("_", ""));
  const refuse = (why: string): never => {
    throw badOption("amount", `amount "${text}": ${why}`, {
      value: String(text),
      min: "1msat",
      max: `${MAX_MONEY_SATS}sat`,
    });
  };
  if (!match) return refuse("write it with its unit, e.g. 50sat or 50000msat");
  const value = BigInt(match[1] as string);
  const msat = match[2] === "sat" ? value * 1000n : value;
  if (msat === 0n) return refuse("an invoice needs an amount above zero, e.g. 50sat");
  if (msat > MAX_MSAT) return refuse(`more than all the bitcoin there is (${MAX_MONEY_SATS} sat)`);
  return msat;
}
