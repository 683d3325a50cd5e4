/** An amount as upstream's CLI writes it: `50sat` or `50000msat` (a bare number is refused: which unit?). */
export function parseAmountMsat(text: string): bigint {
  const match = /^(\d+)(sat|msat)$/.exec(text.trim().replaceAll("_", ""));
  if (!match) throw new Error(`amount "${text}": write it with its unit, e.g. 50sat or 50000msat`);
  const value = BigInt(match[1] as string);
  return match[2] === "sat" ? value * 1000n : value;
}
