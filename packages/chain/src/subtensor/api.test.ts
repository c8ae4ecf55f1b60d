import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connectChain } from '../connect.js';
import { reconnectDelayMs } from './api.js';
import { SubtensorChain } from './subtensor-chain.js';

describe('subtensor connection', () => {
  it('backs off exponentially from 1 s to a 30 s ceiling, with bounded jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => reconnectDelayMs(a, mid))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(reconnectDelayMs(0, () => 0)).toBe(800);
    expect(reconnectDelayMs(0, () => 1)).toBe(1200);
  });

  it('fails with CONNECTION_FAILED when nothing answers, without hanging', async () => {
    // A port that accepts TCP but never speaks WebSocket.
    const server = createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const started = Date.now();
      await expect(
        SubtensorChain.connect({ network: `ws://127.0.0.1:${port}`, timeoutMs: 800 }),
      ).rejects.toMatchObject({ code: 'CONNECTION_FAILED' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      server.close();
    }
  });

  it('rejects unknown network names before connecting', async () => {
    await expect(connectChain({ network: 'mainnet' })).rejects.toMatchObject({ code: 'BAD_NETWORK' });
  });
});
