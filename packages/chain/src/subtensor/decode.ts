import { decodeIp } from '../ip.js';
import type { Metagraph, NeuronInfo, WeightHyperparameters } from '../types.js';

/** Rao per TAO (and per alpha): 9 decimals. */
export const RAO_PER_TAO = 1_000_000_000;
const U16_MAX = 65535;

/** A JSON number, decimal string or 0x-hex string (how @polkadot/types renders integers) as a bigint. */
export function toBig(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (typeof value === 'string') return BigInt(value);
  throw new TypeError(`not an integer: ${JSON.stringify(value)}`);
}

const toNum = (value: unknown): number => Number(toBig(value));

/** `NeuronInfoLite` as `toJSON()` renders it from the typed runtime API. */
export interface NeuronLiteJson {
  hotkey: string;
  coldkey: string;
  uid: number;
  active: boolean;
  axonInfo: { ip: number | string; port: number; ipType: number; version: number; protocol: number };
  stake: [string, number | string][];
  trust: number;
  incentive: number;
  dividends: number;
  lastUpdate: number | string;
  validatorPermit: boolean;
}

/** The fields of `SubnetState` the metagraph uses. */
export interface SubnetStateJson {
  hotkeys: string[];
  totalStake: (number | string)[];
}

/**
 * Builds the metagraph from `get_neurons_lite`, taking stake from `get_subnet_state.total_stake` (the stake
 * weight the chain itself uses) when the hotkeys line up, else the neuron's own alpha stake.
 */
export function metagraphFromNeurons(
  netuid: number,
  block: number,
  neurons: NeuronLiteJson[],
  state?: SubnetStateJson,
): Metagraph {
  const stateMatches = state !== undefined && state.hotkeys.length === neurons.length;
  const out: NeuronInfo[] = neurons.map((n) => {
    const ownStake = n.stake.reduce((sum, [, amount]) => sum + toBig(amount), 0n);
    const stakeRao =
      stateMatches && state.hotkeys[n.uid] === n.hotkey ? toBig(state.totalStake[n.uid] ?? 0) : ownStake;
    return {
      uid: n.uid,
      hotkey: n.hotkey,
      coldkey: n.coldkey,
      stake: Number(stakeRao) / RAO_PER_TAO,
      validatorPermit: n.validatorPermit,
      axon: {
        ip: decodeIp(toBig(n.axonInfo.ip)),
        port: n.axonInfo.port,
        ipType: n.axonInfo.ipType,
        version: n.axonInfo.version,
        protocol: n.axonInfo.protocol,
      },
      lastUpdate: toNum(n.lastUpdate),
      trust: n.trust / U16_MAX,
      incentive: n.incentive / U16_MAX,
      dividends: n.dividends / U16_MAX,
      active: n.active,
    };
  });
  out.sort((a, b) => a.uid - b.uid);
  return { netuid, block, neurons: out };
}

/** `SubnetHyperparams` (v1) and `SubnetHyperparamsV2` share these fields under the same names. */
export interface HyperparamsJson {
  tempo: number;
  weightsRateLimit: number | string;
  minAllowedWeights: number;
  maxWeightsLimit: number;
  weightsVersion: number | string;
  commitRevealWeightsEnabled: boolean;
  commitRevealPeriod?: number | string;
}

export function hyperparametersFromJson(json: HyperparamsJson): WeightHyperparameters {
  return {
    tempo: json.tempo,
    weightsRateLimit: toNum(json.weightsRateLimit),
    minAllowedWeights: json.minAllowedWeights,
    maxWeightLimit: json.maxWeightsLimit,
    weightsVersionKey: toNum(json.weightsVersion),
    commitRevealEnabled: json.commitRevealWeightsEnabled,
    revealPeriodEpochs: json.commitRevealPeriod === undefined ? 1 : toNum(json.commitRevealPeriod),
  };
}
