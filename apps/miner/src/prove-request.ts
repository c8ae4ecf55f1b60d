import { type CircuitStore, encodeProof, isCircuitStoreError, toPublicSignals } from '@omron/circuits';
import { isPoolError, type PoolAnswer, PoolError, type PoolErrorCode, type ProvingPool } from '@omron/pool';
import { CHAIN_PAYLOAD_VERSION, encodeProofPayload, PROOF_PAYLOAD_VERSION } from '@omron/protocol';

/** Name of the proof system in payloads. */
export const PROOF_SYSTEM = 'halo2-kzg-bn254';

export interface ProveRequest {
  queryInput: { model_id?: unknown; public_inputs?: unknown } | null;
  priority: number;
  /** Epoch ms after which the caller stops waiting. */
  deadline: number;
  signal?: AbortSignal;
}

/** What happened, for the response, the log line and the metrics. */
export type ProveOutcome =
  | { ok: true; queryOutput: string; circuit: string; waitMs: number; proveMs: number; workerId: string }
  | { ok: false; status: number; reason: string; message: string; circuit?: string; waitMs?: number };

export interface ProveDeps {
  store: CircuitStore;
  pool: ProvingPool;
}

/** The pool's refusals the caller can act on, with their log/metric reason. Anything else is a 500. */
const REASONS: Partial<Record<PoolErrorCode, string>> = {
  QUEUE_FULL: 'queue-full',
  DEADLINE_PASSED: 'deadline',
  CANCELLED: 'cancelled',
  POOL_DOWN: 'pool-down',
  INVALID_INPUT: 'bad-input',
  UNSUPPORTED_JOB: 'unsupported',
};

/**
 * Domain logic of `QueryZkProof`: pick the circuit, validate the input against its schema, put the job on
 * the proving pool (which skips callers whose timeout passed), and encode the payload.
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
  try {
    if (circuit.slices !== undefined) return await proveSliced(deps, req, id, inputs);
    const { result, waitMs } = await deps.pool.submit(
      { circuitId: id, inputs },
      { priority: req.priority, deadline: req.deadline, ...(req.signal ? { signal: req.signal } : {}) },
    );
    const queryOutput = encodeProofPayload({
      format_version: PROOF_PAYLOAD_VERSION,
      model_id: id,
      proof_system: PROOF_SYSTEM,
      proof: encodeProof(result.proof),
      public_signals: toPublicSignals(result.publicInputs),
      public_inputs: inputs,
      outputs: result.outputs.flat(),
    });
    return {
      ok: true,
      queryOutput,
      circuit: circuit.name,
      waitMs,
      proveMs: result.proveMs,
      workerId: result.workerId,
    };
  } catch (e) {
    const reason = isPoolError(e) ? REASONS[e.code] : undefined;
    if (isPoolError(e) && reason && e.httpStatus !== undefined) {
      return { ok: false, status: e.httpStatus, reason, message: e.message, circuit: circuit.name };
    }
    throw e;
  }
}

/**
 * A sliced circuit: one integer forward pass gives every slice's inputs, the K slice jobs go on the pool at
 * once (so they prove in parallel, in-process or on any workers) under the request's one deadline, and the
 * answer is one chain payload when all are back. The first slice that fails cancels the others and fails the
 * request with its code (no partial chain is ever sent).
 */
async function proveSliced(
  deps: ProveDeps,
  req: ProveRequest,
  id: string,
  inputs: number[][],
): Promise<ProveOutcome> {
  const circuit = deps.store.get(id);
  let values: ReturnType<ReturnType<CircuitStore['prover']>['forward']>;
  try {
    values = deps.store.prover(id).forward(inputs);
  } catch (e) {
    if (isCircuitStoreError(e) && e.code === 'INVALID_INPUT')
      return { ok: false, status: 400, reason: 'bad-input', message: e.message, circuit: circuit.name };
    throw e;
  }
  const cancel = new AbortController();
  const onAbort = () => cancel.abort(req.signal?.reason);
  req.signal?.addEventListener('abort', onAbort, { once: true });
  let failure: unknown;
  const jobs = values.map((v, index) =>
    deps.pool
      .submit(
        { circuitId: id, inputs, slice: { index, inputs: v.inputs } },
        { priority: req.priority, deadline: req.deadline, signal: cancel.signal },
      )
      .catch((e: unknown): never => {
        if (failure === undefined) {
          failure = isPoolError(e)
            ? new PoolError(e.code, `slice ${index} of ${values.length}: ${e.message}`, { cause: e })
            : e;
          cancel.abort(failure);
        }
        throw e;
      }),
  );
  const settled = await Promise.allSettled(jobs);
  req.signal?.removeEventListener('abort', onAbort);
  if (failure !== undefined) throw failure;
  const answers = settled.map((s) => (s as PromiseFulfilledResult<PoolAnswer>).value);
  const last = answers.at(-1)!.result;
  const queryOutput = encodeProofPayload({
    format_version: CHAIN_PAYLOAD_VERSION,
    model_id: id,
    proof_system: PROOF_SYSTEM,
    slices: answers.map(({ result }) => ({
      proof: encodeProof(result.proof),
      public_signals: toPublicSignals(result.publicInputs),
    })),
    public_inputs: inputs,
    outputs: last.outputs.flat(),
  });
  return {
    ok: true,
    queryOutput,
    circuit: circuit.name,
    waitMs: Math.max(...answers.map((a) => a.waitMs)),
    // CPU time over all slices; the wall time is the longest of them.
    proveMs: answers.reduce((n, a) => n + a.result.proveMs, 0),
    workerId: [...new Set(answers.map((a) => a.result.workerId))].join(','),
  };
}
