import { honoOnError } from '@omron/protocol';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { type MinerRow, renderDashboard } from './dashboard.js';
import type { ValidatorState } from './state.js';
import { renderTryPage, type TryPageModel } from './try-page.js';

export interface AppContext {
  network: string;
  netuid: number;
  selfUid: number;
  state: () => ValidatorState;
  registry: Registry;
  /** Whether the loop is alive (for `/healthz`). */
  healthy?: () => boolean;
  /** The "try it" page (`/try`), when the inference API is served. */
  tryPage?: TryPageModel & { example(circuitId: string): number[][] | undefined };
}

/** Every miner this validator has queried, with its score and latest result. */
export function minerRows(state: ValidatorState): MinerRow[] {
  const weightOf = new Map<number, number>();
  state.weights?.uids.forEach((uid, i) => {
    weightOf.set(uid, state.weights!.weights[i]!);
  });
  return [...state.miners]
    .sort(([a], [b]) => a - b)
    .map(([uid, m]) => ({
      uid,
      hotkey: m.hotkey,
      score: uid < state.book.size ? state.book.score(uid) : 0,
      lastResponseTimeS: m.lastResponseTimeS,
      verifiedRatio: m.queries === 0 ? null : m.verified / m.queries,
      queries: m.queries,
      lastError: m.lastError,
      weight: state.weights ? (weightOf.get(uid) ?? 0) : null,
    }));
}

/**
 * The status API and dashboard. Read-only: it never changes the validator's state.
 * - `GET /healthz` → `{ ok, step }` (503 when the loop has stopped)
 * - `GET /metrics` → Prometheus text
 * - `GET /api/miners` → `MinerRow[]`
 * - `GET /api/steps?limit=n` → the most recent steps, newest first
 * - `GET /` → the dashboard (HTML with inline SVG charts)
 * - `GET /try` → a page to try the inference API; `GET /try/example/:id` → a fresh random input for a circuit
 */
export function createApp(ctx: AppContext): Hono {
  const app = new Hono();
  app.onError(honoOnError());
  app.get('/healthz', (c) => {
    const ok = ctx.healthy?.() ?? true;
    return c.json({ ok, step: ctx.state().step }, ok ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    c.header('content-type', ctx.registry.contentType);
    return c.body(await ctx.registry.metrics());
  });
  app.get('/api/miners', (c) => c.json(minerRows(ctx.state())));
  app.get('/api/steps', (c) => {
    const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 50) || 50, 1), 200);
    return c.json(ctx.state().steps.slice(-limit).reverse());
  });
  app.get('/', (c) => {
    const state = ctx.state();
    return c.html(
      renderDashboard({
        network: ctx.network,
        netuid: ctx.netuid,
        selfUid: ctx.selfUid,
        step: state.step,
        miners: minerRows(state),
        steps: state.steps.slice(-100),
        weightsBlock: state.weights?.block ?? null,
      }),
    );
  });
  const tryPage = ctx.tryPage;
  if (tryPage) {
    app.get('/try', (c) => c.html(renderTryPage(tryPage)));
    app.get('/try/example/:id', (c) => {
      const example = tryPage.example(c.req.param('id'));
      return example ? c.json(example) : c.json({ message: 'unknown circuit' }, 404);
    });
  }
  app.notFound((c) =>
    c.req.path.startsWith('/v1/')
      ? c.json({ error: { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } }, 404)
      : c.json({ message: 'not found' }, 404),
  );
  return app;
}
