import { homedir } from 'node:os';
import { join } from 'node:path';
import { createDevelopmentWallet, type Wallet } from '@omron/protocol';
import { normaliseCertificate } from '../certificate.js';
import { revealStartBlock } from '../epoch.js';
import { ChainError } from '../errors.js';
import { encodeIp } from '../ip.js';
import type {
  Chain,
  ChainWallet,
  Metagraph,
  RegisterOptions,
  ScoreVector,
  ServeAxonRequest,
  SetWeightsResult,
  WeightHyperparameters,
  WeightsRecord,
} from '../types.js';
import { prepareWeights } from '../weights-guard.js';
import { BlockClock, blockAt } from './block-clock.js';
import { withFileLock } from './file-lock.js';
import {
  appliedWeights,
  neuronByHotkey,
  recordWeights,
  registerNeuron,
  subnetOf,
  toMetagraph,
} from './local-rules.js';
import type { LocalHyperparameters, LocalState } from './state.js';
import { StateFile } from './state-file.js';

export interface LocalChainOptions {
  /** State directory; default `~/.omron/localnet`. */
  dir?: string;
  /** Block time; default 12 000 ms. Changing it re-anchors the clock so block numbers stay continuous. */
  blockTimeMs?: number;
}

export const DEFAULT_LOCALNET_DIR = join(homedir(), '.omron', 'localnet');

/**
 * The embedded local network: one JSON state file that miners and validators on one machine share, with
 * blocks derived from a clock. Safe with several processes at once and across restarts.
 *
 * @example
 * const chain = await LocalChain.open({ dir: '/tmp/net', blockTimeMs: 250 });
 * const uid = await chain.register(2, wallet, { role: 'miner' });
 * await chain.serveAxon(2, wallet, { ip: '127.0.0.1', port: 8091 });
 */
export class LocalChain implements Chain {
  readonly network = 'local';
  private timing: Pick<LocalState, 'genesisMs' | 'blockTimeMs'>;
  private readonly clock = new BlockClock(() => this.timing);
  private closed = false;

  private constructor(
    private readonly file: StateFile,
    state: LocalState,
  ) {
    this.timing = { genesisMs: state.genesisMs, blockTimeMs: state.blockTimeMs };
  }

  static async open(options: LocalChainOptions = {}): Promise<LocalChain> {
    if (options.blockTimeMs !== undefined && !(options.blockTimeMs > 0)) {
      throw new ChainError('BAD_INPUT', `blockTimeMs must be positive, got ${options.blockTimeMs}`);
    }
    const file = new StateFile(options.dir ?? DEFAULT_LOCALNET_DIR);
    return new LocalChain(file, await file.init(options.blockTimeMs, 12_000));
  }

  /** The state directory (wallets for development live under `<dir>/wallets`). */
  get dir(): string {
    return this.file.dir;
  }

  /**
   * An unencrypted btcli-layout development wallet under `<dir>/wallets`, created on first use and loaded
   * afterwards. Creation is serialised across processes, so a miner and a validator starting together agree.
   */
  async developmentWallet(name: string, hotkey = 'default'): Promise<Wallet> {
    const path = join(this.file.dir, 'wallets');
    return withFileLock(join(this.file.dir, 'wallets.lock'), () =>
      createDevelopmentWallet({ path, name, hotkey }),
    );
  }

  async currentBlock(): Promise<number> {
    return blockAt(await this.read(), Date.now());
  }

  onBlock(cb: (block: number) => void): () => void {
    return this.clock.onBlock(cb);
  }

  async metagraph(netuid: number): Promise<Metagraph> {
    const state = await this.read();
    return toMetagraph(subnetOf(state, netuid), blockAt(state, Date.now()));
  }

  async hyperparameters(netuid: number): Promise<WeightHyperparameters> {
    const {
      servingRateLimit: _s,
      maxAllowedUids: _m,
      ...weights
    } = subnetOf(await this.read(), netuid).hyperparameters;
    return weights;
  }

  async uidForHotkey(netuid: number, hotkey: string): Promise<number | null> {
    return neuronByHotkey(subnetOf(await this.read(), netuid), hotkey)?.uid ?? null;
  }

  async isRegistered(netuid: number, hotkey: string): Promise<boolean> {
    return (await this.uidForHotkey(netuid, hotkey)) !== null;
  }

  async register(netuid: number, wallet: ChainWallet, options: RegisterOptions = {}): Promise<number> {
    const keys = { hotkey: wallet.hotkey.address, coldkey: wallet.coldkeyAddress };
    return this.mutate((state, block) => registerNeuron(state, netuid, keys, options.role, block));
  }

  /** Loopback is accepted here (unlike on subtensor): every neuron of a localnet runs on this machine. */
  async serveAxon(netuid: number, wallet: ChainWallet, axon: ServeAxonRequest) {
    const { ipType } = encodeIp(axon.ip);
    if (!Number.isInteger(axon.port) || axon.port <= 0 || axon.port > 0xffff) {
      throw new ChainError('INVALID_PORT', `port must be an integer in 1..65535, got ${axon.port}`);
    }
    const certificate = axon.certificate ? normaliseCertificate(axon.certificate) : undefined;
    await this.mutate((state, block) => {
      const subnet = subnetOf(state, netuid);
      const neuron = this.neuronOrThrow(subnet, netuid, wallet.hotkey.address);
      const next = { ip: axon.ip, port: axon.port, ipType, version: axon.version ?? 0, protocol: 4 };
      const current = neuron.axon;
      const sameKey =
        neuron.certificate?.publicKey === certificate?.publicKey &&
        neuron.certificate?.algorithm === certificate?.algorithm;
      // Like serve_axon_tls, announcing without a key keeps the stored one (the chain never deletes it).
      const keyUnchanged = certificate === undefined || sameKey;
      if (
        current.ip === next.ip &&
        current.port === next.port &&
        current.version === next.version &&
        keyUnchanged
      )
        return;
      const limit = subnet.hyperparameters.servingRateLimit;
      if (limit > 0 && current.block > 0 && block - current.block < limit) {
        throw new ChainError(
          'SERVING_RATE_LIMITED',
          `axon served ${block - current.block} blocks ago (limit ${limit})`,
        );
      }
      neuron.axon = { ...next, block };
      if (certificate) neuron.certificate = certificate;
    });
  }

  async setWeights(netuid: number, wallet: ChainWallet, scores: ScoreVector, versionKey: number) {
    const result = await this.mutate((state, block): SetWeightsResult => {
      const subnet = subnetOf(state, netuid);
      const neuron = this.neuronOrThrow(subnet, netuid, wallet.hotkey.address);
      const hp = subnet.hyperparameters;
      const { uids, weights } = prepareWeights(
        {
          netuid,
          uid: neuron.uid,
          validatorPermit: neuron.validatorPermit,
          lastUpdate: neuron.lastUpdate,
          block,
          subnetN: subnet.neurons.length,
          hyperparameters: hp,
        },
        scores,
        versionKey,
      );
      const appliesAtBlock = hp.commitRevealEnabled
        ? revealStartBlock(block, netuid, hp.tempo, hp.revealPeriodEpochs)
        : block;
      recordWeights(subnet, neuron.uid, { block, versionKey, uids, weights, appliesAtBlock }, block);
      neuron.lastUpdate = block;
      if (!hp.commitRevealEnabled) return { mode: 'direct', block, uids, weights };
      return { mode: 'commit', block, uids, weights, revealBlock: appliesAtBlock };
    });
    if (result.revealBlock !== undefined) result.revealed = this.clock.waitForBlock(result.revealBlock);
    return result;
  }

  async lastWeights(netuid: number, validatorUid: number): Promise<WeightsRecord | null> {
    const state = await this.read();
    const record = appliedWeights(subnetOf(state, netuid), validatorUid, blockAt(state, Date.now()));
    if (!record) return null;
    return { block: record.block, versionKey: record.versionKey, uids: record.uids, weights: record.weights };
  }

  /** Changes a subnet's hyperparameters, as the subnet owner or sudo would (tests, local experiments). */
  async setHyperparameters(netuid: number, changes: Partial<LocalHyperparameters>): Promise<void> {
    await this.mutate((state) => {
      const subnet = subnetOf(state, netuid);
      state.subnets[String(netuid)] = subnet;
      subnet.hyperparameters = { ...subnet.hyperparameters, ...changes };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clock.stop();
  }

  private neuronOrThrow(subnet: ReturnType<typeof subnetOf>, netuid: number, hotkey: string) {
    const neuron = neuronByHotkey(subnet, hotkey);
    if (!neuron)
      throw new ChainError('NOT_REGISTERED', `hotkey ${hotkey} is not registered on netuid ${netuid}`);
    return neuron;
  }

  private async read(): Promise<LocalState> {
    this.assertOpen();
    const state = await this.file.read();
    this.timing = { genesisMs: state.genesisMs, blockTimeMs: state.blockTimeMs };
    return state;
  }

  private async mutate<T>(fn: (state: LocalState, block: number) => T): Promise<T> {
    this.assertOpen();
    const { state, result } = await this.file.update((s) => fn(s, blockAt(s, Date.now())));
    this.timing = { genesisMs: state.genesisMs, blockTimeMs: state.blockTimeMs };
    return result;
  }

  private assertOpen(): void {
    if (this.closed) throw new ChainError('CLOSED', 'the chain is closed');
  }
}
