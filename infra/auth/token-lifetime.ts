/**
 * Tokens live at most a day: a leaked token stops working by itself, and a token that claims a
 * longer life was not minted by us (the verifier refuses it, whatever its signature).
 */
export const maxTokenLifetimeSeconds = 24 * 3600;

const unitSeconds = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** `30m`, `12h`, `1d` → seconds; anything else (or more than the maximum) is refused. */
export function tokenLifetimeSeconds(expiresIn: string): number {
  const match = /^(\d+)([smhd])$/.exec(expiresIn);
  if (!match) throw new Error(`A token lifetime looks like 30m, 12h or 1d (got ${JSON.stringify(expiresIn)})`);
  const seconds = Number(match[1]) * unitSeconds[match[2] as keyof typeof unitSeconds];
  if (seconds < 1 || seconds > maxTokenLifetimeSeconds) {
    throw new Error(`A token lives between 1 s and ${maxTokenLifetimeSeconds / 3600} h (got ${expiresIn})`);
  }
  return seconds;
}
