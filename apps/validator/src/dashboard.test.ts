import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { createMetrics } from './metrics.js';
import { emptyState } from './state.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`dashboard browser test skipped: ${CHROMIUM} is absent (apt-get install chromium)`);

/** Where the screenshot goes: git-ignored scratch space next to the test outputs. */
const SCREENSHOT_DIR = join(tmpdir(), 'omron-validator-screenshots');

function demoState() {
  const state = emptyState();
  state.book.syncHotkeys(['5Validator', '5Fast', '5Slow', '5Cheat']);
  const names = ['', '5FastMinerHotkey', '5SlowMinerHotkey', '5CheaterHotkey'];
  for (let step = 1; step <= 12; step++) {
    const scores = [0, 0.02 * (1 - 0.9 ** step), 0.005 * (1 - 0.9 ** step), 0];
    state.steps.push({
      step,
      startedAt: step * 1000,
      finishedAt: step * 1000 + 800,
      block: step * 5,
      circuitId: 'c',
      circuitName: 'mlp',
      responses: [
        { uid: 1, verified: true, responseTimeS: 1 + (step % 3) * 0.1 },
        { uid: 2, verified: true, responseTimeS: 2.5 + (step % 2) * 0.2 },
        { uid: 3, verified: false, responseTimeS: 1.1, reason: 'INPUT_MISMATCH' },
      ],
      scores,
    });
    scores.forEach((s, uid) => {
      state.book.setScore(uid, s);
    });
  }
  for (const uid of [1, 2, 3]) {
    state.miners.set(uid, {
      hotkey: names[uid]!,
      queries: 12,
      verified: uid === 3 ? 0 : 12,
      lastResponseTimeS: uid === 2 ? 2.5 : 1.1,
      lastError: uid === 3 ? 'INPUT_MISMATCH: public input 0 differs from the input sent' : null,
      lastStep: 12,
    });
  }
  state.step = 12;
  return state;
}

describe.skipIf(!hasChromium)('dashboard in headless Chromium', () => {
  const state = demoState();
  let server: ReturnType<typeof serve>;
  let url: string;
  let profile: string;

  beforeAll(async () => {
    const app = createApp({
      network: 'local',
      netuid: 2,
      selfUid: 0,
      state: () => state,
      registry: createMetrics(() => state).registry,
    });
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    profile = await mkdtemp(join(tmpdir(), 'validator-chromium-'));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(profile, { recursive: true, force: true });
  });

  it('loads, shows every miner with its score and error, draws both charts, and saves a screenshot', async () => {
    // A fresh profile directory per run (Playwright takes it as launchPersistentContext's userDataDir).
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 900 },
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      expect(await page.title()).toContain('Omron validator');
      const rows = page.locator('#miners tbody tr');
      expect(await rows.count()).toBe(3);
      expect(await rows.nth(0).textContent()).toContain('5FastMiner');
      expect(await rows.nth(2).textContent()).toContain('INPUT_MISMATCH');
      expect(await page.locator('#step').textContent()).toBe('12');
      const charts = page.locator('svg[role="img"]');
      expect(await charts.count()).toBe(2);
      expect(await charts.nth(0).locator('path[data-uid]').count()).toBe(3);
      const box = await charts.nth(0).boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      const shot = join(SCREENSHOT_DIR, 'dashboard.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect((await stat(shot)).size).toBeGreaterThan(10_000);
      console.log(`dashboard screenshot: ${shot}`);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
