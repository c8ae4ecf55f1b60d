import type { CircuitStore } from '@omron/circuits';
import type { ProvingPool } from '@omron/pool';
import {
  type AxonEnv,
  axonErrorResponse,
  axonMiddleware,
  axonResponse,
  type QueryForCapacitiesSynapse,
  type QueryZkProofSynapse,
  type Wallet,
} from '@omron/protocol';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { BlacklistVerdict } from './blacklist.js';
import type { MinerMetrics } from './metrics.js';
import { type ProveOutcome, proveRequest } from './prove-request.js';

export interface AppDeps {
  hotkey: Wallet['hotkey'];
  store: CircuitStore;
  /** Where proofs are made: in-process, or workers behind Redis. */
  pool: ProvingPool;
  metrics: MinerMetrics;
  logger: Logger;
  blacklist: (hotkey: string) => Promise<BlacklistVerdict>;
  priority: (hotkey: string) => Promise<number>;
  /** Capacity reported per circuit id in `QueryForCapacities`. */
  capacity: number;
  /** True once shutdown began: new proof requests get 503. */
  isClosing: () => boolean;
}

/** What one request did, for its single log line. */
interface RequestNote {
  circuit?: string;
  waitMs?: number;
  proveMs?: number;
  result?: string;
  rejected?: boolean;
  /** The pool worker that proved it. */
  worker?: string;
}

const MIDDLEWARE_REJECTIONS: Record<number, string> = {
  400: 'bad-request',
  401: 'not-verified',
  404: 'unknown-synapse',
  408: 'timeout',
  413: 'too-large',
  500: 'internal',
};

/**
 * The miner's HTTP app: the Bittensor axon routes behind `@omron/protocol`'s middleware, plus
 * `/healthz` and `/metrics`. Thin: proving lives in {@link proveRequest}.
 */
export function createApp(deps: AppDeps): Hono<AxonEnv> {
  const app = new Hono<AxonEnv>();
  const notes = new WeakMap<Request, RequestNote>();
  const startedAt = Date.now();

  app.get('/healthz', async (c) => {
    const pool = await deps.pool.stats();
    const status = deps.isClosing() ? 'shutting-down' : pool.up ? 'ok' : 'pool-down';
    return c.json(
      {
        status,
        circuits: deps.store.list().map((x) => ({ id: x.id, name: x.name })),
        queue: { waiting: pool.waiting, running: pool.active },
        pool,
        uptimeS: Math.round((Date.now() - startedAt) / 1000),
      },
      status === 'ok' ? 200 : 503,
    );
  });
  app.get('/metrics', async (c) => {
    const { contentType, body } = await deps.metrics.render();
    return c.body(body, 200, { 'content-type': contentType });
  });

  // Outer: one log line and the request metrics for every axon request, whoever answered it.
  app.use('*', async (c, next) => {
    const start = performance.now();
    await next();
    const synapse = c.req.path.split('/')[1] ?? '';
    const status = c.res.status;
    const note = notes.get(c.req.raw) ?? {};
    deps.metrics.requests.inc({ synapse, status: String(status) });
    if (status >= 400 && !note.rejected && status !== 403) {
      const refusal = c.get('axonRefusal');
      const reason = refusal
        ? refusal.toLowerCase().replaceAll('_', '-')
        : (MIDDLEWARE_REJECTIONS[status] ?? `http-${status}`);
      deps.metrics.rejections.inc({ reason });
    }
    deps.logger.info(
      {
        synapse,
        caller: c.req.header('bt_header_dendrite_hotkey') ?? null,
        status,
        circuit: note.circuit,
        queueWaitMs: note.waitMs,
        proveMs: note.proveMs,
        worker: note.worker,
        result: note.result ?? (status === 200 ? 'ok' : 'rejected'),
        ms: Math.round(performance.now() - start),
      },
      'request',
    );
  });

  app.use(
    '*',
    axonMiddleware({
      hotkey: deps.hotkey,
      // The proving queue bounds the real work; the protocol gate only has to keep handlers from piling up.
      maxConcurrent: 1024,
      blacklist: async (req) => {
        const verdict = await deps.blacklist(req.caller.hotkey);
        if (!verdict.blocked) return { blocked: false };
        deps.metrics.rejections.inc({ reason: verdict.reason });
        return { blocked: true, reason: verdict.message };
      },
      priority: (req) => deps.priority(req.caller.hotkey),
      onError: (err, errorId) => deps.logger.error({ err, errorId }, 'handler failed'),
    }),
  );

  app.post('/QueryZkProof', async (c) => {
    const synapse = c.get('synapse') as QueryZkProofSynapse;
    const timeoutS = synapse.timeout ?? 12;
    const elapsedMs = performance.now() - c.get('axonStartMs');
    const outcome: ProveOutcome = deps.isClosing()
      ? { ok: false, status: 503, reason: 'shutting-down', message: 'the miner is shutting down' }
      : await proveRequest(deps, {
          queryInput: synapse.query_input,
          priority: await deps.priority(c.get('caller').hotkey),
          deadline: Date.now() - elapsedMs + timeoutS * 1000,
          signal: c.req.raw.signal,
        }).catch((err: unknown) => {
          // The middleware answers 500 with an error id; count and note the failure first.
          const circuit = (synapse.query_input?.model_id as string | undefined) ?? 'unknown';
          deps.metrics.proofs.inc({
            circuit: deps.store.has(circuit) ? deps.store.get(circuit).name : circuit,
            result: 'failed',
          });
          notes.set(c.req.raw, { result: 'prove-failed', rejected: true });
          deps.metrics.rejections.inc({ reason: 'prove-failed' });
          throw err;
        });
    const note: RequestNote = {
      ...(outcome.circuit ? { circuit: outcome.circuit } : {}),
      ...(outcome.waitMs !== undefined ? { waitMs: Math.round(outcome.waitMs) } : {}),
    };
    if (outcome.ok) {
      notes.set(c.req.raw, {
        ...note,
        proveMs: Math.round(outcome.proveMs),
        result: 'proved',
        worker: outcome.workerId,
      });
      deps.metrics.proofs.inc({ circuit: outcome.circuit, result: 'ok' });
      deps.metrics.proofSeconds.observe({ circuit: outcome.circuit }, outcome.proveMs / 1000);
      deps.metrics.workerProofs.inc({ worker: outcome.workerId });
      deps.metrics.workerProofSeconds.inc({ worker: outcome.workerId }, outcome.proveMs / 1000);
      deps.metrics.queueWaitSeconds.observe(outcome.waitMs / 1000);
      return axonResponse(c, { ...synapse, query_output: outcome.queryOutput });
    }
    notes.set(c.req.raw, { ...note, result: outcome.reason, rejected: true });
    deps.metrics.rejections.inc({ reason: outcome.reason });
    return axonErrorResponse(outcome.status, outcome.message, {
      definition: c.get('synapseDefinition'),
      synapse,
      startMs: c.get('axonStartMs'),
    });
  });

  app.post('/QueryForCapacities', (c) => {
    const synapse = c.get('synapse') as QueryForCapacitiesSynapse;
    const capacities = Object.fromEntries(deps.store.list().map((x) => [x.id, deps.capacity]));
    return axonResponse(c, { ...synapse, capacities });
  });

  return app;
}
