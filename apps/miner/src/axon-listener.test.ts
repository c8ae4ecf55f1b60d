import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinnedFetch } from '@omron/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenAxon } from './axon-listener.js';
import { type AxonTls, loadAxonTls } from './axon-tls.js';

let dir: string;
let tls: AxonTls | null = null;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omron-listener-'));
  const cert = join(dir, 'c.pem');
  const key = join(dir, 'k.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ed25519',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=t',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    tls = await loadAxonTls({ tls_cert: cert, tls_key: key });
  } catch {
    console.warn('openssl CLI not available: TLS listener tests skipped');
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fetchHandler = (req: Request) => new Response(JSON.stringify({ path: new URL(req.url).pathname }));
const call = (url: string, via: typeof fetch | ReturnType<typeof pinnedFetch>) =>
  via(url, { method: 'POST', headers: {}, body: '{}', signal: AbortSignal.timeout(5000) });

describe('listenAxon', () => {
  it('with TLS, answers HTTPS (pinned) and plain HTTP on one port, and closes with idle connections open', async (ctx) => {
    if (!tls) return ctx.skip();
    const listener = await listenAxon({
      fetch: fetchHandler,
      hostname: '127.0.0.1',
      port: 0,
      tls,
      tlsOnly: false,
    });
    const { port } = listener.server.address() as AddressInfo;
    const secure = await call(`https://127.0.0.1:${port}/QueryZkProof`, pinnedFetch(tls.announced));
    expect([secure.status, await secure.json()]).toEqual([200, { path: '/QueryZkProof' }]);
    const plain = await call(`http://127.0.0.1:${port}/Synapse`, fetch);
    expect([plain.status, await plain.json()]).toEqual([200, { path: '/Synapse' }]);
    // The plain fetch left a keep-alive connection open; close must end it, not wait for it to time out (3 s+).
    const t = performance.now();
    await listener.close();
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('with --axon.tls_only, refuses plain HTTP', async (ctx) => {
    if (!tls) return ctx.skip();
    const listener = await listenAxon({
      fetch: fetchHandler,
      hostname: '127.0.0.1',
      port: 0,
      tls,
      tlsOnly: true,
    });
    const { port } = listener.server.address() as AddressInfo;
    try {
      const secure = await call(`https://127.0.0.1:${port}/x`, pinnedFetch(tls.announced));
      expect(secure.status).toBe(200);
      await expect(call(`http://127.0.0.1:${port}/x`, fetch)).rejects.toThrow();
    } finally {
      await listener.close();
    }
  });

  it('without TLS, serves plain HTTP', async () => {
    const listener = await listenAxon({
      fetch: fetchHandler,
      hostname: '127.0.0.1',
      port: 0,
      tls: null,
      tlsOnly: false,
    });
    const { port } = listener.server.address() as AddressInfo;
    expect((await call(`http://127.0.0.1:${port}/x`, fetch)).status).toBe(200);
    await listener.close();
  });
});
