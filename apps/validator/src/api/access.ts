import { ApiError } from './api-error.js';

/** Omron's rule for its API, kept as the default: keys with a validator's stake may call. */
export const DEFAULT_MIN_STAKE = 1024;

export interface AccessRule {
  /** ss58 addresses always allowed. */
  allow: readonly string[];
  /** Keys with at least this stake on the subnet are allowed; undefined = the allow-list alone decides. */
  minStake: number | undefined;
}

/**
 * Who may call: an allow-listed key, or a hotkey holding at least `minStake` on the subnet (from the metagraph,
 * re-read by the loop). With neither configured the default is {@link DEFAULT_MIN_STAKE}.
 */
export function accessRule(allow: readonly string[] | undefined, minStake: number | undefined): AccessRule {
  const list = allow ?? [];
  return { allow: list, minStake: minStake ?? (list.length === 0 ? DEFAULT_MIN_STAKE : undefined) };
}

/** Throws `FORBIDDEN` unless `origin` may call. `stakeOf` returns the key's stake, 0 when not registered. */
export function checkAccess(rule: AccessRule, origin: string, stakeOf: (ss58: string) => number): void {
  if (rule.allow.includes(origin)) return;
  if (rule.minStake !== undefined) {
    const stake = stakeOf(origin);
    if (stake >= rule.minStake) return;
    throw new ApiError(
      'FORBIDDEN',
      `${origin} holds ${stake} stake on this subnet; ${rule.minStake} is needed (or an allow-list entry)`,
    );
  }
  throw new ApiError('FORBIDDEN', `${origin} is not on this validator's allow-list`);
}
