import { Hono } from 'hono';
import type { WorkerMetrics } from './metrics.js';

export interface WorkerAppDeps {
  workerId: string;
  circuits: { id: string; name: string }[];
  metrics: WorkerMetrics;
  health: () => { connected: boolean; problem?: string; running: boolean };
  isClosing: () => boolean;
}

/** The worker's HTTP side: `/healthz` (503 while Redis is unreachable or on shutdown) and `/metrics`. */
export function createWorkerApp(deps: WorkerAppDeps): Hono {
  const app = new Hono();
  const startedAt = Date.now();
  app.get('/healthz', (c) => {
    const h = deps.health();
    const status = deps.isClosing() ? 'shutting-down' : h.connected ? 'ok' : 'redis-down';
    return c.json(
      {
        status,
        worker: deps.workerId,
        redis: h.connected ? 'connected' : `unreachable: ${h.problem ?? 'connecting'}`,
        circuits: deps.circuits,
        uptimeS: Math.round((Date.now() - startedAt) / 1000),
      },
      status === 'ok' ? 200 : 503,
    );
  });
  app.get('/metrics', async (c) => {
    const { contentType, body } = await deps.metrics.render();
    return c.body(body, 200, { 'content-type': contentType });
  });
  return app;
}
