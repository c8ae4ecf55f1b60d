import type { NeuronInfo } from '@omron/chain';

/** Why a caller was refused; also the `reason` label of the rejections metric. */
export type BlacklistReason = 'unregistered' | 'low-stake' | 'no-validator-permit' | 'lookup-failed';

export type BlacklistVerdict =
  | { blocked: false }
  | { blocked: true; reason: BlacklistReason; message: string };

export interface BlacklistOptions {
  lookup: (hotkey: string) => Promise<NeuronInfo | undefined>;
  /** Minimum stake of a caller (default 1024, as Omron). */
  minStake: number;
  /** Accept everyone (development). */
  disabled: boolean;
}

/**
 * Omron's caller policy: registered on the subnet, stake ≥ `minStake`, and a validator permit.
 * A failed lookup blocks too: better to refuse a validator than to prove for anyone.
 */
export function createBlacklist(options: BlacklistOptions): (hotkey: string) => Promise<BlacklistVerdict> {
  return async (hotkey) => {
    if (options.disabled) return { blocked: false };
    let neuron: NeuronInfo | undefined;
    try {
      neuron = await options.lookup(hotkey);
    } catch (e) {
      return {
        blocked: true,
        reason: 'lookup-failed',
        message: `metagraph lookup failed: ${(e as Error).message}`,
      };
    }
    if (!neuron)
      return { blocked: true, reason: 'unregistered', message: `hotkey ${hotkey} is not registered` };
    if (neuron.stake < options.minStake) {
      return {
        blocked: true,
        reason: 'low-stake',
        message: `stake ${neuron.stake} is below the minimum of ${options.minStake}`,
      };
    }
    if (!neuron.validatorPermit) {
      return {
        blocked: true,
        reason: 'no-validator-permit',
        message: `uid ${neuron.uid} has no validator permit`,
      };
    }
    return { blocked: false };
  };
}

/** Priority of a caller: its stake (higher first); unknown callers last. */
export function createPriority(lookup: BlacklistOptions['lookup']): (hotkey: string) => Promise<number> {
  return async (hotkey) => (await lookup(hotkey).catch(() => undefined))?.stake ?? 0;
}
