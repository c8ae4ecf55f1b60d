import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CircuitStore, encodeProof, isCircuitStoreError, toPublicSignals } from '@omron/circuits';
import { encodeProofPayload, PROOF_PAYLOAD_VERSION } from '@omron/protocol';
import { MinerError } from './errors.js';
import type { ProvingQueue } from './queue.js';

/** Name of the proof system in payloads. */
export const PROOF_SYSTEM = 'halo2-kzg-bn254';

export type DevBehavior = 'honest' | 'wrong-input' | 'garbage';

export interface ProveRequest {
  queryInput: { model_id?: unknown; public_inputs?: unknown } | null;
  priority: number;
  /** Epoch ms after which the caller stops waiting. */
  deadline: number;
  signal?: AbortSignal;
}

/** What happened, for the response, the log line and the metrics. */
export type ProveOutcome =
  | { ok: true; queryOutput: string; circuit: string; waitMs: number; proveMs: number }
  | { ok: false; status: number; reason: string; message: string; circuit?: string; waitMs?: number };

export interface ProveDeps {
  store: CircuitStore;
  queue: ProvingQueue;
  dev: { delayMs: number; behavior: DevBehavior };
}

/** Metrics label of each refusal; the HTTP status is the error's own (`httpStatus`). */
const REASON: Partial<Record<string, string>> = {
  QUEUE_FULL: 'queue-full',
  DEADLINE_PASSED: 'deadline',
  CANCELLED: 'cancelled',
};

/**
 * Domain logic of `QueryZkProof`: pick the circuit, validate the input against its schema, wait for
 * a prover slot (skipping callers whose timeout passed), prove, and encode the payload.
 */
export async function proveRequest(deps: ProveDeps, req: ProveRequest): Promise<ProveOutcome> {
  const input = req.queryInput;
  if (!input || input.public_inputs === undefined) {
    return {
      ok: false,
      status: 400,
      reason: 'bad-input',
      message: 'Empty query input: public_inputs is required',
    };
  }
  const id = input.model_id;
  if (typeof id !== 'string' || !deps.store.has(id)) {
    const known = deps.store.list().map((c) => `${c.id} (${c.name})`);
    return {
      ok: false,
      status: 400,
      reason: 'unknown-circuit',
      message: `Unknown model_id ${JSON.stringify(id)}; this miner serves ${known.join(', ')}`,
    };
  }
  const circuit = deps.store.get(id);
  let inputs: number[][];
  try {
    inputs = circuit.parseInput(input.public_inputs);
  } catch (e) {
    if (isCircuitStoreError(e))
      return { ok: false, status: 400, reason: 'bad-input', message: e.message, circuit: circuit.name };
    throw e;
  }
  const proveInputs = deps.dev.behavior === 'wrong-input' ? circuit.generateInput() : inputs;
  try {
    const { value: result, waitMs } = await deps.queue.submit(
      (signal) => deps.store.prover(id).prove(proveInputs, { signal }),
      { priority: req.priority, deadline: req.deadline, ...(req.signal ? { signal: req.signal } : {}) },
    );
    const proof = deps.dev.behavior === 'garbage' ? randomBytes(result.proof.length) : result.proof;
    if (deps.dev.delayMs > 0) await sleep(deps.dev.delayMs);
    const queryOutput = encodeProofPayload({
      format_version: PROOF_PAYLOAD_VERSION,
      model_id: id,
      proof_system: PROOF_SYSTEM,
      proof: encodeProof(proof),
      public_signals: toPublicSignals(result.publicInputs),
      public_inputs: proveInputs,
      outputs: result.outputs.flat(),
    });
    return {
      ok: true,
      queryOutput,
      circuit: circuit.name,
      waitMs,
      proveMs: result.timings.witnessMs + result.timings.proveMs,
    };
  } catch (e) {
    const reason = isCircuitStoreError(e)
      ? 'bad-input'
      : e instanceof MinerError
        ? REASON[e.code]
        : undefined;
    if ((isCircuitStoreError(e) || e instanceof MinerError) && reason && e.httpStatus !== undefined) {
      return { ok: false, status: e.httpStatus, reason, message: e.message, circuit: circuit.name };
    }
    throw e;
  }
}
