import { homedir } from 'node:os';
import { join } from 'node:path';
import { createDevelopmentWallet, type Wallet } from '@omron/protocol';
import { hexToU8a } from '@polkadot/util';
import { normaliseCertificate } from '../certificate.js';
import { type HashCommitPort, HashCommitReveal } from '../commit-reveal/hash-commit-reveal.js';
import { PendingRevealStore } from '../commit-reveal/pending-reveals.js';
import { epochOf, epochStartBlock } from '../epoch.js';
import { ChainError } from '../errors.js';
import { encodeIp } from '../ip.js';
import { DevelopmentBeacon } from '../timelock/development-beacon.js';
import type {
  Chain,
  ChainLogger,
  ChainWallet,
  CommitRevealScheme,
  Metagraph,
  RegisterOptions,
  ResumedReveals,
  ScoreVector,
  ServeAxonRequest,
  SetWeightsOptions,
  SetWeightsResult,
  WeightHyperparameters,
  WeightsRecord,
} from '../types.js';
import { prepareWeights } from '../weights-guard.js';
import { BlockClock, blockAt } from './block-clock.js';
import { withFileLock } from './file-lock.js';
import {
  assertMechanism,
  commitHashWeights,
  commitTimelockedWeights,
  revealHashWeights,
} from './local-commits.js';
import { hasDueReveals, settleReveals } from './local-reveals.js';
import {
  appliedWeights,
  neuronByHotkey,
  recordWeights,
  registerNeuron,
  subnetOf,
  toMetagraph,
  weightsKey,
} from './local-rules.js';
import type { LocalHyperparameters, LocalState, LocalSubnet } from './state.js';
import { StateFile } from './state-file.js';

export interface LocalChainOptions {
  /** State directory; default `~/.omron/localnet`. */
  dir?: string;
  /** Block time; default 12 000 ms. Changing it re-anchors the clock so block numbers stay continuous. */
  blockTimeMs?: number;
  /** Scheme when a subnet has commit-reveal on: `timelock` (default, as the SDK) or `hash` (CRv2). */
  commitReveal?: CommitRevealScheme;
  /** File where CRv2 reveals are saved before each commit (durable across restarts); memory only if unset. */
  pendingRevealsPath?: string;
  /** Reveals, dropped commits and other things the chain does on its own. */
  logger?: ChainLogger;
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
  /** DEVELOPMENT ONLY stand-in for drand quicknet (its key lives in the state file). */
  readonly beacon: DevelopmentBeacon;
  private readonly scheme: CommitRevealScheme;
  private readonly crv2: HashCommitReveal;
  private readonly logger: ChainLogger | undefined;

  private constructor(
    private readonly file: StateFile,
    state: LocalState,
    options: LocalChainOptions,
  ) {
    this.timing = { genesisMs: state.genesisMs, blockTimeMs: state.blockTimeMs };
    if (!state.developmentBeacon) throw new ChainError('STATE_CORRUPT', 'localnet state has no beacon key');
    this.beacon = DevelopmentBeacon.fromSecretKey(hexToU8a(state.developmentBeacon.secretKey));
    this.scheme = options.commitReveal ?? 'timelock';
    this.logger = options.logger;
    const store = options.pendingRevealsPath ? new PendingRevealStore(options.pendingRevealsPath) : undefined;
    this.crv2 = new HashCommitReveal(this.hashCommitPort(), store, options.logger);
  }

  static async open(options: LocalChainOptions = {}): Promise<LocalChain> {
    if (options.blockTimeMs !== undefined && !(options.blockTimeMs > 0)) {
      throw new ChainError('INVALID_INPUT', `blockTimeMs must be positive, got ${options.blockTimeMs}`);
    }
    const file = new StateFile(options.dir ?? DEFAULT_LOCALNET_DIR);
    return new LocalChain(file, await file.init(options.blockTimeMs, 12_000), options);
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
    const state = await this.readSettled();
    return toMetagraph(subnetOf(state, netuid), blockAt(state, Date.now()));
  }

  async hyperparameters(netuid: number): Promise<WeightHyperparameters> {
    const {
      servingRateLimit: _s,
      maxAllowedUids: _m,
      mechanismCount: _c,
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

  /**
   * Commit-reveal off: sets the weights now. On: a timelocked commit the chain opens with its development beacon
   * at the reveal round (default), or a CRv2 hash commit revealed by this process in the next epoch.
   */
  async setWeights(
    netuid: number,
    wallet: ChainWallet,
    scores: ScoreVector,
    versionKey: number,
    options: SetWeightsOptions = {},
  ): Promise<SetWeightsResult> {
    const mechid = options.mechid ?? 0;
    const result = await this.mutate((state, block): SetWeightsResult & { commitBlock?: number } => {
      const subnet = subnetOf(state, netuid);
      const neuron = this.neuronOrThrow(subnet, netuid, wallet.hotkey.address);
      assertMechanism(subnet, mechid);
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
      if (!hp.commitRevealEnabled) {
        recordWeights(
          subnet,
          weightsKey(neuron.uid, mechid),
          { block, versionKey, uids, weights, appliesAtBlock: block },
          block,
        );
        neuron.lastUpdate = block;
        return { mode: 'direct', block, uids, weights };
      }
      if (this.scheme === 'hash') return { mode: 'commit', block, uids, weights };
      const input = { mechid, publicKey: wallet.hotkey.publicKey, uids, weights, versionKey };
      const opens = commitTimelockedWeights(state, subnet, neuron, input, block, Date.now(), this.beacon);
      return {
        mode: 'timelock',
        block,
        uids,
        weights,
        revealRound: opens.round,
        revealBlock: opens.revealBlock,
      };
    });
    if (result.mode === 'commit') {
      const committed = await this.crv2.commit(netuid, mechid, wallet, {
        uids: result.uids,
        weights: result.weights,
        versionKey,
      });
      const hp = await this.hyperparameters(netuid);
      return {
        ...result,
        block: committed.block,
        revealBlock: epochStartBlock(committed.revealEpoch, netuid, hp.tempo),
        revealed: committed.revealed,
      };
    }
    if (result.mode === 'timelock') {
      result.revealed = this.appliedBy(netuid, wallet.hotkey.address, mechid, result);
      result.revealed.catch(() => undefined);
    }
    return result;
  }

  async resumeReveals(wallet: ChainWallet): Promise<ResumedReveals> {
    return this.crv2.resume(wallet);
  }

  async lastWeights(
    netuid: number,
    validatorUid: number,
    options: SetWeightsOptions = {},
  ): Promise<WeightsRecord | null> {
    const state = await this.readSettled();
    const key = weightsKey(validatorUid, options.mechid ?? 0);
    const record = appliedWeights(subnetOf(state, netuid), key, blockAt(state, Date.now()));
    if (!record) return null;
    return { block: record.block, versionKey: record.versionKey, uids: record.uids, weights: record.weights };
  }

  /** Sets the chain-wide `CommitRevealWeightsVersion` (sudo; tests of a version this client does not speak). */
  async setCommitRevealVersion(version: number): Promise<void> {
    await this.mutate((state) => {
      state.commitRevealVersion = version;
    });
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

  private neuronOrThrow(subnet: LocalSubnet, netuid: number, hotkey: string) {
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

  /** The state with every reveal due by now applied (a write only when something is due). */
  private async readSettled(): Promise<LocalState> {
    const state = await this.read();
    if (!hasDueReveals(state, blockAt(state, Date.now()))) return state;
    return (await this.file.update((s) => this.settle(s, blockAt(s, Date.now())))).state;
  }

  /** Every write first settles the reveals due, as the chain does at the start of each block. */
  private async mutate<T>(fn: (state: LocalState, block: number) => T): Promise<T> {
    this.assertOpen();
    const { state, result } = await this.file.update((s) => {
      const block = blockAt(s, Date.now());
      this.settle(s, block);
      return fn(s, block);
    });
    this.timing = { genesisMs: state.genesisMs, blockTimeMs: state.blockTimeMs };
    return result;
  }

  private settle(state: LocalState, block: number): void {
    for (const o of settleReveals(state, block, this.beacon)) {
      const fields = { netuid: o.netuid, mechid: o.mechid, hotkey: o.hotkey, block: o.block };
      if (o.outcome === 'revealed') this.logger?.info(fields, 'timelocked weights revealed');
      else this.logger?.warn({ ...fields, reason: o.reason }, `commit ${o.outcome}`);
    }
  }

  /** Resolves once the chain has applied a timelocked commit (rejects with COMMIT_EXPIRED if it never will). */
  private async appliedBy(
    netuid: number,
    hotkey: string,
    mechid: number,
    commit: SetWeightsResult,
  ): Promise<void> {
    const { revealBlock = commit.block, revealRound: round = 0 } = commit;
    await this.clock.waitForBlock(revealBlock);
    for (;;) {
      const state = await this.readSettled();
      const subnet = subnetOf(state, netuid);
      const neuron = neuronByHotkey(subnet, hotkey);
      const pending = subnet.timelockedCommits.some(
        (c) => c.hotkey === hotkey && c.commitBlock === commit.block && c.round === round,
      );
      if (!pending) {
        const record = neuron
          ? appliedWeights(subnet, weightsKey(neuron.uid, mechid), Number.MAX_SAFE_INTEGER)
          : null;
        if (record && record.block >= commit.block) return;
        throw new ChainError('COMMIT_EXPIRED', `timelocked commit of block ${commit.block} was not applied`);
      }
      await this.clock.waitForBlock(blockAt(state, Date.now()) + 1);
    }
  }

  /** CRv2 on the local state: the same rules as subtensor's commit_weights / reveal_weights. */
  private hashCommitPort(): HashCommitPort {
    const epochNow = async (netuid: number) => {
      const state = await this.read();
      return epochOf(blockAt(state, Date.now()), netuid, subnetOf(state, netuid).hyperparameters.tempo);
    };
    return {
      network: this.network,
      epochNow,
      revealPeriodEpochs: async (netuid) =>
        subnetOf(await this.read(), netuid).hyperparameters.revealPeriodEpochs,
      submitCommit: (netuid, mechid, hash, wallet) =>
        this.mutate((state, block) => {
          const subnet = subnetOf(state, netuid);
          const neuron = this.neuronOrThrow(subnet, netuid, wallet.hotkey.address);
          return commitHashWeights(subnet, neuron, mechid, hash, block);
        }),
      findCommit: async (netuid, mechid, hotkey, hash) => {
        const commit = subnetOf(await this.read(), netuid).hashCommits.find(
          (c) => c.hotkey === hotkey && c.mechid === mechid && c.hash === hash,
        );
        return commit ? { epoch: commit.commitEpoch } : null;
      },
      submitReveal: async (netuid, mechid, reveal, wallet) => {
        await this.mutate((state, block) => {
          const subnet = subnetOf(state, netuid);
          const neuron = this.neuronOrThrow(subnet, netuid, wallet.hotkey.address);
          revealHashWeights(subnet, neuron, wallet.hotkey.publicKey, mechid, reveal, block);
        });
      },
      nextBlock: async () => this.clock.waitForBlock((await this.currentBlock()) + 1),
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new ChainError('CLOSED', 'the chain is closed');
  }
}
