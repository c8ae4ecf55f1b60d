import type { ApiPromise } from '@polkadot/api';
import type { Codec } from '@polkadot/types/types';
import { ChainError } from '../errors.js';
import type { Metagraph, WeightHyperparameters } from '../types.js';
import { runtimeCall } from './api.js';
import {
  type HyperparamsJson,
  hyperparametersFromJson,
  metagraphFromNeurons,
  type NeuronLiteJson,
  type SubnetStateJson,
  toBig,
} from './decode.js';

/** Chain reads through the typed runtime APIs, with storage fallbacks. Each takes a ready ApiPromise. */

type OptionCodec = Codec & { isSome: boolean; unwrap(): Codec };

export async function readBlock(api: ApiPromise): Promise<number> {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

export async function readMetagraph(api: ApiPromise, netuid: number): Promise<Metagraph> {
  const [block, neurons, state] = await Promise.all([
    readBlock(api),
    runtimeCall(api, 'neuronInfoRuntimeApi', 'getNeuronsLite')(netuid),
    Promise.resolve()
      .then(() => runtimeCall(api, 'subnetInfoRuntimeApi', 'getSubnetState')(netuid))
      .catch(() => undefined),
  ]);
  const stateJson =
    state && (state as OptionCodec).isSome ? (state as OptionCodec).unwrap().toJSON() : undefined;
  return metagraphFromNeurons(
    netuid,
    block,
    neurons.toJSON() as unknown as NeuronLiteJson[],
    stateJson as unknown as SubnetStateJson | undefined,
  );
}

/**
 * Weight hyperparameters from `get_subnet_hyperparams_v2`, else v1, else the storage maps one by one (older or
 * trimmed runtimes). `RevealPeriodEpochs` always comes from storage when the runtime API lacks it.
 */
export async function readHyperparameters(api: ApiPromise, netuid: number): Promise<WeightHyperparameters> {
  const runtimeApi = api.call.subnetInfoRuntimeApi;
  for (const method of ['getSubnetHyperparamsV2', 'getSubnetHyperparams'] as const) {
    const call = runtimeApi?.[method];
    if (!call) continue;
    let result: OptionCodec;
    try {
      result = (await call(netuid)) as OptionCodec;
    } catch {
      continue;
    }
    if (!result.isSome) throw new ChainError('SUBNET_NOT_FOUND', `netuid ${netuid} does not exist`);
    return hyperparametersFromJson(result.unwrap().toJSON() as unknown as HyperparamsJson);
  }
  return readHyperparametersFromStorage(api, netuid);
}

async function readHyperparametersFromStorage(
  api: ApiPromise,
  netuid: number,
): Promise<WeightHyperparameters> {
  const q = api.query.subtensorModule;
  if (!q) throw new ChainError('UNSUPPORTED', 'runtime has no SubtensorModule');
  const exists = await q.networksAdded?.(netuid);
  if (exists && exists.toJSON() === false)
    throw new ChainError('SUBNET_NOT_FOUND', `netuid ${netuid} does not exist`);
  const read = async (name: string, fallback: unknown): Promise<unknown> => {
    const fn = q[name];
    return fn ? (await fn(netuid)).toJSON() : fallback;
  };
  return hyperparametersFromJson({
    tempo: (await read('tempo', 360)) as number,
    weightsRateLimit: (await read('weightsSetRateLimit', 100)) as number,
    minAllowedWeights: (await read('minAllowedWeights', 1024)) as number,
    maxWeightsLimit: (await read('maxWeightsLimit', 65535)) as number,
    weightsVersion: (await read('weightsVersionKey', 0)) as number,
    commitRevealWeightsEnabled: (await read('commitRevealWeightsEnabled', true)) as boolean,
    commitRevealPeriod: (await read('revealPeriodEpochs', 1)) as number,
  });
}

/** `Uids(netuid, hotkey)`: the uid, or null when the hotkey is not registered. */
export async function readUid(api: ApiPromise, netuid: number, hotkey: string): Promise<number | null> {
  const value = (await api.query.subtensorModule?.uids?.(netuid, hotkey))?.toJSON();
  return value === null || value === undefined ? null : Number(value);
}

/** The caller's own neuron, for the client-side weight checks. */
export async function readNeuronLite(
  api: ApiPromise,
  netuid: number,
  uid: number,
): Promise<{ validatorPermit: boolean; lastUpdate: number }> {
  const result = (await runtimeCall(
    api,
    'neuronInfoRuntimeApi',
    'getNeuronLite',
  )(netuid, uid)) as OptionCodec;
  if (!result.isSome) throw new ChainError('NOT_REGISTERED', `no neuron ${uid} on netuid ${netuid}`);
  const json = result.unwrap().toJSON() as unknown as NeuronLiteJson;
  return { validatorPermit: json.validatorPermit, lastUpdate: Number(toBig(json.lastUpdate)) };
}

export async function readSubnetN(api: ApiPromise, netuid: number): Promise<number> {
  return Number((await api.query.subtensorModule?.subnetworkN?.(netuid))?.toJSON() ?? 0);
}

/** `MechanismCountCurrent(netuid)`; 1 on runtimes without mechanisms. */
export async function readMechanismCount(api: ApiPromise, netuid: number): Promise<number> {
  const query = api.query.subtensorModule?.mechanismCountCurrent;
  return query ? Number((await query(netuid)).toJSON() ?? 1) : 1;
}

/** `LastUpdate(netuid index)[uid]`: the block of the uid's last weight set or commit on that mechanism. */
export async function readLastUpdate(api: ApiPromise, netuidIndex: number, uid: number): Promise<number> {
  const values = ((await api.query.subtensorModule?.lastUpdate?.(netuidIndex))?.toJSON() ?? []) as number[];
  return Number(values[uid] ?? 0);
}

/** `Weights(netuid index, uid)` as (uid, u16) pairs; the index is the netuid for mechanism 0. */
export async function readWeights(api: ApiPromise, netuid: number, uid: number): Promise<[number, number][]> {
  return ((await api.query.subtensorModule?.weights?.(netuid, uid))?.toJSON() ?? []) as [number, number][];
}

/** `Axons(netuid, hotkey)` or null. */
export async function readAxon(
  api: ApiPromise,
  netuid: number,
  hotkey: string,
): Promise<{ block: number; ip: bigint; port: number; ipType: number; version: number } | null> {
  const json = (await api.query.subtensorModule?.axons?.(netuid, hotkey))?.toJSON() as Record<
    string,
    unknown
  > | null;
  if (!json) return null;
  return {
    block: Number(toBig(json.block)),
    ip: toBig(json.ip),
    port: Number(json.port),
    ipType: Number(json.ipType),
    version: Number(json.version),
  };
}

export async function readServingRateLimit(api: ApiPromise, netuid: number): Promise<number> {
  return Number((await api.query.subtensorModule?.servingRateLimit?.(netuid))?.toJSON() ?? 50);
}
