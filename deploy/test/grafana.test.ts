import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MinerMetrics } from 'miner';
import { createMetrics, StateStore } from 'validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

const ROOT = resolve(import.meta.dirname, '..');
/** Labels Prometheus adds at scrape time (scrape config and `le` of histogram buckets). */
const SCRAPE_LABELS = new Set(['job', 'instance', 'role', 'le']);

/** Series names and their label names, from Prometheus text exposition. */
function exported(text: string): { series: Map<string, Set<string>>; families: Set<string> } {
  const out = new Map<string, Set<string>>();
  const families = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type;
      families.add(name!);
      const names = kind === 'histogram' ? ['_bucket', '_sum', '_count'].map((s) => name + s) : [name!];
      for (const n of names) if (!out.has(n)) out.set(n, new Set());
      continue;
    }
    const series = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
    if (!series) continue;
    const labels = out.get(series[1]!) ?? new Set<string>();
    for (const m of (series[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) labels.add(m[1]!);
    out.set(series[1]!, labels);
  }
  return { series: out, families };
}

let metrics: Map<string, Set<string>>;
let families: Set<string>;
let dir: string;

beforeAll(async () => {
  // The apps' real registries, fed one event of each kind so every labelled series appears.
  const miner = new MinerMetrics();
  miner.requests.inc({ synapse: 'QueryZkProof', status: '200' });
  miner.proofs.inc({ circuit: 'cnn', result: 'ok' });
  miner.proofSeconds.observe({ circuit: 'cnn' }, 1.2);
  miner.queueWaitSeconds.observe(0.1);
  miner.queueDepth.set(1);
  miner.proofsRunning.set(1);
  miner.rejections.inc({ reason: 'queue-full' });
  miner.poolJobs.set({ state: 'waiting' }, 1);
  miner.poolSize.set(2);
  miner.poolUp.set(1);
  miner.workerProofs.inc({ worker: 'w1' });
  miner.workerProofSeconds.inc({ worker: 'w1' }, 1.2);

  dir = await mkdtemp(join(tmpdir(), 'omron-grafana-'));
  const state = await new StateStore(dir).load();
  state.book.ensureSize(2);
  const validator = createMetrics(() => state);
  const circuit = { name: 'cnn' } as Parameters<NonNullable<typeof validator.observer.onResponse>>[0];
  validator.observer.onResponse?.(circuit, 1, { verified: true } as never, 0.8);
  validator.observer.onStep?.({ startedAt: 0, finishedAt: 1500 } as never);
  validator.observer.onWeights?.({ ok: false, code: 'RATE_LIMITED' });
  validator.onOrganic(circuit as never, { result: 'verified', seconds: 2.5 } as never);

  ({ series: metrics, families } = exported(
    `${(await miner.render()).body}\n${await validator.registry.metrics()}`,
  ));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Grafana dashboard', () => {
  it('queries only metrics and labels the miner and validator really export', async () => {
    const dashboard = JSON.parse(await readFile(join(ROOT, 'grafana', 'omron-dashboard.json'), 'utf8')) as {
      panels: Panel[];
    };
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(10);
    const used = new Set<string>();
    for (const panel of panels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets!) {
        const names = [...expr.matchAll(/\b(omron_[a-z0-9_]+)\b/g)].map((m) => m[1]!);
        expect(names.length, `${panel.title}: ${expr}`).toBeGreaterThan(0);
        const labels = new Set<string>();
        for (const name of names) {
          expect(metrics.has(name), `${panel.title}: ${name} is not exported`).toBe(true);
          for (const l of metrics.get(name)!) labels.add(l);
          used.add(name.replace(/_(bucket|sum|count)$/, ''));
        }
        const referenced = [
          ...[...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim())),
          ...[...expr.matchAll(/[{,]\s*([a-z_]+)\s*=~?"/g)].map((m) => m[1]!),
        ];
        for (const label of referenced) {
          expect(labels.has(label) || SCRAPE_LABELS.has(label), `${panel.title}: label ${label}`).toBe(true);
        }
      }
    }
    // Every metric family the apps export has a panel.
    expect(families.size).toBeGreaterThanOrEqual(15);
    expect([...families].filter((f) => !used.has(f))).toEqual([]);
  });

  it('is scraped from the ports the apps serve /metrics on', async () => {
    const yml = await readFile(join(ROOT, 'prometheus', 'prometheus.yml'), 'utf8');
    expect(yml).toContain('job_name: omron-miner');
    expect(yml).toContain('"127.0.0.1:8091"');
    expect(yml).toContain('job_name: omron-validator');
    expect(yml).toContain('"127.0.0.1:8100"');
  });
});
