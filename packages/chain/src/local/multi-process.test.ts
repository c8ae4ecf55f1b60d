import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LocalChain } from './local-chain.js';

const writer = fileURLToPath(new URL('../test-support/concurrent-writer.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

function runWriter(dir: string, prefix: string, count: number, netuid: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', tsx, writer, dir, prefix, String(count), String(netuid)],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`writer ${prefix} exited ${code}: ${stderr}`)),
    );
  });
}

describe('LocalChain across processes', () => {
  it('loses no write when two processes register and serve at the same time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omron-localnet-mp-'));
    try {
      const count = 15;
      await Promise.all([runWriter(dir, 'left', count, 3), runWriter(dir, 'right', count, 3)]);
      const chain = await LocalChain.open({ dir });
      const graph = await chain.metagraph(3);
      await chain.close();
      expect(graph.neurons).toHaveLength(2 * count);
      expect(new Set(graph.neurons.map((n) => n.hotkey)).size).toBe(2 * count);
      expect(graph.neurons.every((n) => n.axon.ip === '10.0.0.1' && n.axon.port >= 10_000)).toBe(true);
      expect(graph.neurons.map((n) => n.uid)).toEqual([...Array(2 * count).keys()]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
