import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { createMetrics } from './metrics.js';
import { emptyState } from './state.js';
import { commitmentCircuit } from './test-support/commitment-circuit.js';

function stateWithTwoSteps() {
  const state = emptyState();
  state.book.syncHotkeys(['5Validator', '5FastMiner', '5Cheater']);
  state.book.setScore(1, 0.02);
  state.miners.set(1, {
    hotkey: '5FastMiner',
    queries: 2,
    verified: 2,
    lastResponseTimeS: 1.25,
    lastError: null,
    lastStep: 2,
  });
  state.miners.set(2, {
    hotkey: '5Cheater',
    queries: 2,
    verified: 0,
    lastResponseTimeS: 1.5,
    lastError: 'INPUT_MISMATCH: public input 0 differs',
    lastStep: 2,
  });
  for (const step of [1, 2]) {
    state.steps.push({
      step,
      startedAt: step * 1000,
      finishedAt: step * 1000 + 500,
      block: step * 10,
      circuitId: 'c',
      circuitName: 'mlp',
      responses: [
        { uid: 1, verified: true, responseTimeS: 1 + step / 4 },
        { uid: 2, verified: false, responseTimeS: 1.5, reason: 'INPUT_MISMATCH' },
      ],
      scores: [0, 0.01 * step, 0],
    });
  }
  state.step = 2;
  state.weights = { block: 20, at: 0, uids: [1], weights: [65535] };
  return state;
}

describe('status API', () => {
  const state = stateWithTwoSteps();
  const metrics = createMetrics(() => state);
  const app = createApp({
    network: 'local',
    netuid: 2,
    selfUid: 0,
    state: () => state,
    registry: metrics.registry,
  });

  it('GET /healthz reports the step', async () => {
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, step: 2 });
    const down = createApp({
      network: 'local',
      netuid: 2,
      selfUid: 0,
      state: () => state,
      registry: metrics.registry,
      healthy: () => false,
    });
    expect((await down.request('/healthz')).status).toBe(503);
  });

  it('GET /api/miners lists uid, hotkey, score, last response time, verified ratio, last error and weight', async () => {
    expect(await (await app.request('/api/miners')).json()).toEqual([
      {
        uid: 1,
        hotkey: '5FastMiner',
        score: 0.02,
        lastResponseTimeS: 1.25,
        verifiedRatio: 1,
        queries: 2,
        lastError: null,
        weight: 65535,
      },
      {
        uid: 2,
        hotkey: '5Cheater',
        score: 0,
        lastResponseTimeS: 1.5,
        verifiedRatio: 0,
        queries: 2,
        lastError: 'INPUT_MISMATCH: public input 0 differs',
        weight: 0,
      },
    ]);
  });

  it('GET /api/steps returns recent steps, newest first, limited', async () => {
    const steps = (await (await app.request('/api/steps')).json()) as { step: number }[];
    expect(steps.map((s) => s.step)).toEqual([2, 1]);
    const one = (await (await app.request('/api/steps?limit=1')).json()) as { step: number }[];
    expect(one.map((s) => s.step)).toEqual([2]);
  });

  it('GET /metrics exposes Prometheus counters fed by the loop, and scores by uid', async () => {
    const circuit = commitmentCircuit();
    metrics.observer.onResponse?.(circuit, 1, { verified: true, proofSizeBytes: 10 }, 1.2);
    metrics.observer.onResponse?.(circuit, 2, { verified: false, reason: 'INPUT_MISMATCH', detail: '' }, 1.4);
    metrics.observer.onStep?.(state.steps[1]!);
    const res = await app.request('/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('omron_validator_steps_total 1');
    expect(text).toContain('omron_validator_responses_total{circuit="commitment",result="INPUT_MISMATCH"} 1');
    expect(text).toContain('omron_validator_miner_score{uid="1"} 0.02');
  });

  it('GET / renders the dashboard with the miners table and two SVG charts', async () => {
    const res = await app.request('/');
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<tr data-uid="1">');
    expect(html).toContain('INPUT_MISMATCH');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('data-uid="1"');
  });

  it('escapes what miners control (hotkeys, error text)', async () => {
    const evil = emptyState();
    evil.miners.set(0, {
      hotkey: '<script>x</script>',
      queries: 1,
      verified: 0,
      lastResponseTimeS: null,
      lastError: '<img src=x>',
      lastStep: 1,
    });
    const page = await createApp({
      network: 'local',
      netuid: 2,
      selfUid: 9,
      state: () => evil,
      registry: metrics.registry,
    }).request('/');
    const html = await page.text();
    expect(html).not.toContain('<script>x');
    expect(html).not.toContain('<img src=x>');
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'not found' });
  });
});
