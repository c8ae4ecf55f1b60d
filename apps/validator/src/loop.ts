import type { Chain, ChainWallet, Metagraph, SetWeightsResult } from '@omron/chain';
import { ResponseTimeStats } from '@omron/scoring';
import type { Logger } from 'pino';
import { inputHash } from './input-guard.js';
import type { MinerTarget, QueryMiner, Rng, ValidatorCircuit } from './ports.js';
import { mapConcurrent, shuffled, weightedChoice } from './random.js';
import {
  RECENT_STEPS,
  type StateStore,
  type StepRecord,
  type StepResponse,
  type ValidatorState,
} from './state.js';
import { type Verdict, verifyResponse } from './verify-response.js';
import { weightsDue } from './weights-cadence.js';

/** Omron's queryable filter: miners hold less than this stake (validators hold more). */
export const QUERYABLE_MAX_STAKE = 1024;

export interface LoopObserver {
  onResponse?(circuit: ValidatorCircuit, uid: number, verdict: Verdict, responseTimeS: number | null): void;
  onStep?(record: StepRecord): void;
  onWeights?(outcome: { ok: true; result: SetWeightsResult } | { ok: false; code: string }): void;
}

export interface LoopDeps {
  chain: Chain;
  network: string;
  netuid: number;
  wallet: ChainWallet;
  selfUid: number;
  circuits: readonly ValidatorCircuit[];
  query: QueryMiner;
  store: StateStore;
  state: ValidatorState;
  rng: Rng;
  concurrency: number;
  versionKey: number;
  /** Mechanism (sub-subnet) the weights go to; default 0. */
  mechid?: number;
  metagraphSyncIntervalMs: number;
  log: Pick<Logger, 'info' | 'warn' | 'debug'>;
  observer?: LoopObserver;
  now?: () => number;
}

/** Miners worth querying: serving an axon, not this validator, and below the validator stake. */
export function queryableMiners(metagraph: Metagraph, selfUid: number): MinerTarget[] {
  return metagraph.neurons
    .filter(
      (n) => n.uid !== selfUid && n.axon.ip !== '0.0.0.0' && n.axon.port > 0 && n.stake < QUERYABLE_MAX_STAKE,
    )
    .map((n) => ({
      uid: n.uid,
      hotkey: n.hotkey,
      ip: n.axon.ip,
      port: n.axon.port,
      ...(n.certificate ? { certificate: n.certificate } : {}),
    }));
}

/**
 * The validator's work, one step at a time. A step is one round: every queryable miner gets one fresh request
 * for the step's circuit; responses are bound to the validator's inputs, verified, scored, and the results saved
 * atomically. Nothing of a step counts until that save, so a crash mid-step loses nothing and repeats nothing.
 */
export class ValidatorLoop {
  #metagraph: Metagraph | null = null;
  #syncedAt = 0;
  readonly #now: () => number;

  constructor(private readonly deps: LoopDeps) {
    this.#now = deps.now ?? Date.now;
  }

  get metagraph(): Metagraph | null {
    return this.#metagraph;
  }

  /** Re-reads the metagraph when it is older than the sync interval (or `force`); resets re-registered uids. */
  async syncMetagraph(force = false): Promise<Metagraph> {
    if (!force && this.#metagraph && this.#now() - this.#syncedAt < this.deps.metagraphSyncIntervalMs) {
      return this.#metagraph;
    }
    const metagraph = await this.deps.chain.metagraph(this.deps.netuid);
    const reset = this.deps.state.book.syncHotkeys(metagraph.neurons.map((n) => n.hotkey));
    for (const uid of reset) this.deps.state.miners.delete(uid);
    if (reset.length > 0) this.deps.log.info({ uids: reset }, 'uids taken by new hotkeys: scores reset');
    this.#metagraph = metagraph;
    this.#syncedAt = this.#now();
    return metagraph;
  }

  /**
   * Runs one step; returns its record, or null when there is no miner to query. Aborting `signal` abandons the
   * step before anything of it is scored (it rejects with the signal's reason).
   */
  async step(signal?: AbortSignal): Promise<StepRecord | null> {
    const { state, rng } = this.deps;
    let targets = queryableMiners(await this.syncMetagraph(), this.deps.selfUid);
    if (targets.length === 0) targets = queryableMiners(await this.syncMetagraph(true), this.deps.selfUid);
    if (targets.length === 0) return null;
    const circuit = weightedChoice(this.deps.circuits, (c) => c.benchmarkWeight, rng);
    if (!circuit) return null;
    const startedAt = this.#now();
    const block = await this.deps.chain.currentBlock();

    const requests = shuffled(targets, rng).map((target) => {
      const inputs = this.#freshInputs(circuit);
      return { target, inputs, own: circuit.quantizeInputs(inputs) };
    });
    // The inputs about to be sent are remembered on disk before any leaves, so a restart never resends them.
    await this.deps.store.save(state);

    const answers = await mapConcurrent(requests, this.deps.concurrency, async ({ target, inputs, own }) => {
      const result = await this.deps
        .query(target, { modelId: circuit.id, inputs }, circuit.timeoutS, signal)
        .catch((err: unknown) => ({
          statusCode: 503,
          statusMessage: err instanceof Error ? err.message : String(err),
          processTimeS: null,
          output: null,
          responseSignature: null,
        }));
      const verdict = await verifyResponse(circuit, own, result);
      this.deps.observer?.onResponse?.(circuit, target.uid, verdict, result.processTimeS);
      return { target, verdict, responseTimeS: result.processTimeS };
    });

    signal?.throwIfAborted();
    const record = this.#apply(circuit, targets, answers, { startedAt, block });
    await this.deps.store.save(state);
    this.deps.observer?.onStep?.(record);
    return record;
  }

  /** Sets weights if the cadence allows; returns what the chain took, or null when not due or nothing to set. */
  async maybeSetWeights(): Promise<SetWeightsResult | null> {
    const { chain, netuid, state, selfUid } = this.deps;
    const [metagraph, hp, block] = await Promise.all([
      chain.metagraph(netuid),
      chain.hyperparameters(netuid),
      chain.currentBlock(),
    ]);
    const lastUpdate = metagraph.neurons[selfUid]?.lastUpdate ?? 0;
    const decision = weightsDue({ network: this.deps.network, netuid, block, lastUpdate, ...hp });
    if (!decision.due) return null;
    const uids = metagraph.neurons.map((n) => n.uid);
    const scores = uids.map((uid) => (uid < state.book.size ? state.book.score(uid) : 0));
    if (!scores.some((s) => s > 0)) return null;
    try {
      const result = await chain.setWeights(
        netuid,
        this.deps.wallet,
        { uids, scores },
        this.deps.versionKey,
        {
          mechid: this.deps.mechid ?? 0,
        },
      );
      state.weights = { block: result.block, at: this.#now(), uids: result.uids, weights: result.weights };
      await this.deps.store.save(state);
      const reveal = result.revealRound === undefined ? {} : { revealRound: result.revealRound };
      this.deps.log.info(
        {
          block: result.block,
          mode: result.mode,
          uids: result.uids,
          revealBlock: result.revealBlock,
          ...reveal,
        },
        result.mode === 'direct' ? 'weights set' : 'weights committed',
      );
      this.deps.observer?.onWeights?.({ ok: true, result });
      return result;
    } catch (err) {
      const code = String((err as { code?: unknown }).code ?? 'ERROR');
      this.deps.log.warn(
        { code, err: err instanceof Error ? err.message : String(err) },
        'setting weights failed',
      );
      this.deps.observer?.onWeights?.({ ok: false, code });
      return null;
    }
  }

  #freshInputs(circuit: ValidatorCircuit): number[][] {
    for (let attempt = 0; attempt < 16; attempt++) {
      const inputs = circuit.generateInput(this.deps.rng);
      if (this.deps.state.guard.admit(inputHash(circuit.id, inputs))) return inputs;
    }
    throw new Error(`circuit ${circuit.name} keeps generating inputs that were already sent`);
  }

  #apply(
    circuit: ValidatorCircuit,
    targets: readonly MinerTarget[],
    answers: readonly { target: MinerTarget; verdict: Verdict; responseTimeS: number | null }[],
    at: { startedAt: number; block: number },
  ): StepRecord {
    const { state } = this.deps;
    const stats = state.responseTimes.get(circuit.id) ?? new ResponseTimeStats();
    state.responseTimes.set(circuit.id, stats);
    for (const { target, verdict, responseTimeS } of answers) {
      stats.record(target.uid, responseTimeS ?? circuit.timeoutS, verdict.verified);
    }
    const bounds = stats.bounds(circuit.timeoutS);
    const step = state.step + 1;
    const responses: StepResponse[] = [];
    for (const { target, verdict, responseTimeS } of answers) {
      state.book.ensureSize(target.uid + 1);
      state.book.applyResponse(
        target.uid,
        verdict.verified
          ? {
              verified: true,
              proofSizeBytes: verdict.proofSizeBytes,
              ...(responseTimeS === null ? {} : { responseTimeS }),
            }
          : { verified: false },
        bounds,
      );
      const previous = state.miners.get(target.uid);
      state.miners.set(target.uid, {
        hotkey: target.hotkey,
        queries: (previous?.queries ?? 0) + 1,
        verified: (previous?.verified ?? 0) + (verdict.verified ? 1 : 0),
        lastResponseTimeS: responseTimeS,
        lastError: verdict.verified ? null : `${verdict.reason}: ${verdict.detail}`,
        lastStep: step,
      });
      responses.push({
        uid: target.uid,
        verified: verdict.verified,
        responseTimeS,
        ...(verdict.verified ? {} : { reason: verdict.reason }),
      });
    }
    state.book.zeroNonQueryable(targets.map((t) => t.uid));
    const record: StepRecord = {
      step,
      startedAt: at.startedAt,
      finishedAt: this.#now(),
      block: at.block,
      circuitId: circuit.id,
      circuitName: circuit.name,
      responses: responses.sort((a, b) => a.uid - b.uid),
      scores: state.book.scores(),
    };
    state.step = step;
    state.steps.push(record);
    if (state.steps.length > RECENT_STEPS) state.steps.splice(0, state.steps.length - RECENT_STEPS);
    return record;
  }
}
