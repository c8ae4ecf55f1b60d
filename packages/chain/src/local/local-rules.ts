import { ChainError } from '../errors.js';
import type { Metagraph, NeuronInfo } from '../types.js';
import {
  type LocalNeuron,
  type LocalState,
  type LocalSubnet,
  type LocalWeights,
  MINER_STAKE_TAO,
  newSubnet,
  VALIDATOR_STAKE_TAO,
} from './state.js';

/** Pure state transitions of the localnet; `LocalChain` wraps them in locked, atomic file updates. */

export function assertNetuid(netuid: number): void {
  if (!Number.isInteger(netuid) || netuid < 1 || netuid > 0xffff) {
    throw new ChainError('INVALID_INPUT', `netuid must be an integer in 1..65535, got ${netuid}`);
  }
}

/** The subnet, or an empty one with default hyperparameters (subnets come into being on first registration). */
export function subnetOf(state: LocalState, netuid: number): LocalSubnet {
  assertNetuid(netuid);
  return state.subnets[String(netuid)] ?? newSubnet(netuid);
}

export function neuronByHotkey(subnet: LocalSubnet, hotkey: string): LocalNeuron | undefined {
  return subnet.neurons.find((n) => n.hotkey === hotkey);
}

export function registerNeuron(
  state: LocalState,
  netuid: number,
  keys: { hotkey: string; coldkey: string },
  role: 'validator' | 'miner' | undefined,
  block: number,
): number {
  const subnet = subnetOf(state, netuid);
  state.subnets[String(netuid)] = subnet;
  const existing = neuronByHotkey(subnet, keys.hotkey);
  if (existing) {
    if (existing.coldkey !== keys.coldkey) {
      throw new ChainError('ALREADY_REGISTERED', `hotkey ${keys.hotkey} is registered to another coldkey`);
    }
    return existing.uid;
  }
  if (subnet.neurons.length >= subnet.hyperparameters.maxAllowedUids) {
    throw new ChainError(
      'SUBNET_FULL',
      `netuid ${netuid} has all ${subnet.hyperparameters.maxAllowedUids} uids taken`,
    );
  }
  const isValidator = role ? role === 'validator' : subnet.neurons.length === 0;
  const uid = subnet.neurons.length;
  subnet.neurons.push({
    uid,
    hotkey: keys.hotkey,
    coldkey: keys.coldkey,
    stake: isValidator ? VALIDATOR_STAKE_TAO : MINER_STAKE_TAO,
    validatorPermit: isValidator,
    axon: { ip: '0.0.0.0', port: 0, ipType: 4, version: 0, protocol: 4, block: 0 },
    lastUpdate: 0,
    registeredAt: block,
  });
  return uid;
}

/** The key of a validator's weights: its uid on mechanism 0, `<mechid>/<uid>` on others. */
export function weightsKey(uid: number, mechid = 0): string {
  return mechid === 0 ? String(uid) : `${mechid}/${uid}`;
}

/** The weights of a validator (uid or weights key) in force at `block` (a commit-reveal record counts once revealed). */
export function appliedWeights(
  subnet: LocalSubnet,
  uid: number | string,
  block: number,
): LocalWeights | null {
  const records = subnet.weights[String(uid)] ?? [];
  let best: LocalWeights | null = null;
  for (const record of records) {
    if (record.appliesAtBlock <= block && (!best || record.appliesAtBlock >= best.appliesAtBlock))
      best = record;
  }
  return best;
}

export function recordWeights(
  subnet: LocalSubnet,
  uid: number | string,
  record: LocalWeights,
  block: number,
): void {
  const applied = appliedWeights(subnet, uid, block);
  const pending = (subnet.weights[String(uid)] ?? []).filter((r) => r.appliesAtBlock > block);
  subnet.weights[String(uid)] = [...(applied ? [applied] : []), ...pending, record];
}

/**
 * Builds the metagraph. Incentive is the stake-weighted share of the validators' normalised weights, a
 * one-step stand-in for Yuma consensus that is enough to see who earns.
 */
export function toMetagraph(subnet: LocalSubnet, block: number): Metagraph {
  const incentive = new Array<number>(subnet.neurons.length).fill(0);
  let totalStake = 0;
  for (const validator of subnet.neurons) {
    const record = appliedWeights(subnet, validator.uid, block);
    if (!record || !validator.validatorPermit) continue;
    const sum = record.weights.reduce((a, b) => a + b, 0);
    if (sum === 0) continue;
    totalStake += validator.stake;
    record.uids.forEach((uid, i) => {
      if (uid < incentive.length)
        incentive[uid] = (incentive[uid] ?? 0) + (validator.stake * (record.weights[i] ?? 0)) / sum;
    });
  }
  const neurons: NeuronInfo[] = subnet.neurons.map((n) => ({
    uid: n.uid,
    hotkey: n.hotkey,
    coldkey: n.coldkey,
    stake: n.stake,
    validatorPermit: n.validatorPermit,
    axon: {
      ip: n.axon.ip,
      port: n.axon.port,
      ipType: n.axon.ipType,
      version: n.axon.version,
      protocol: n.axon.protocol,
    },
    ...(n.certificate ? { certificate: n.certificate } : {}),
    lastUpdate: n.lastUpdate,
    incentive: totalStake > 0 ? (incentive[n.uid] ?? 0) / totalStake : 0,
    active: true,
  }));
  return { netuid: subnet.netuid, block, neurons };
}
