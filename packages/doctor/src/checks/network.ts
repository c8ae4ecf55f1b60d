import { createServer, isIP, connect as netConnect } from 'node:net';
import type { DoctorContext, ListenSpec } from '../context.js';
import { type Check, fail, pass, skip, warn } from '../report.js';
import { hostPort } from './tcp.js';

/** Binds and releases `host:port`; the error code when that fails (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`). */
export function tryListen(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/** Why `host:port` cannot be listened on, with the fix; null when it can. */
async function listenProblem(
  spec: ListenSpec,
  role: string,
): Promise<{ detail: string; fix: string } | null> {
  const where = `${spec.host}:${spec.port}`;
  if (spec.port === 0) return null;
  const error = await tryListen(spec.host, spec.port);
  switch (error) {
    case null:
      return null;
    case 'EADDRINUSE':
      return {
        detail: `${where} is in use (another ${role} still running?)`,
        fix: `stop the process that holds it (ss -ltnp 'sport = :${spec.port}') or choose another ${spec.flag}`,
      };
    case 'EACCES':
      return {
        detail: `${where}: permission denied`,
        fix: `ports below 1024 need root or CAP_NET_BIND_SERVICE; choose ${spec.flag} ≥ 1024`,
      };
    case 'EADDRNOTAVAIL':
      return {
        detail: `${where}: no such address on this machine`,
        fix: 'bind 0.0.0.0 or an address of this host',
      };
    default:
      return { detail: `${where}: cannot listen (${error})`, fix: `choose another ${spec.flag}` };
  }
}

/** Every port the process will listen on is free (nothing else, e.g. a second copy, holds it). */
export const portCheck: Check<DoctorContext> = {
  id: 'port',
  title: 'listen port',
  async run(ctx) {
    const listen = ctx.target.listen;
    const specs: readonly ListenSpec[] =
      listen === undefined ? [] : Array.isArray(listen) ? listen : [listen];
    if (specs.length === 0) return skip('this role listens on no port');
    const data = { ports: specs.map((s) => ({ host: s.host, port: s.port })) };
    for (const spec of specs) {
      const problem = await listenProblem(spec, ctx.target.role);
      if (problem) return fail(problem.detail, problem.fix, data);
    }
    const text = specs.map((s) =>
      s.port === 0 ? `${s.host}: any free port (${s.flag} 0)` : `${s.host}:${s.port}`,
    );
    return pass(`${text.join(', ')} free`, data);
  },
};

/** Addresses validators on the internet cannot reach. */
export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b < 128)
    );
  }
  const v6 = ip.toLowerCase();
  return v6 === '::1' || v6 === '::' || v6.startsWith('fe80:') || v6.startsWith('fc') || v6.startsWith('fd');
}

/**
 * The axon endpoint on chain is the one validators should use. A different one is re-announced at start
 * (a `serve_axon` transaction, rate-limited by the chain), so that is a warning; an address nobody outside
 * can reach is a failure off the local network.
 */
export const announceCheck: Check<DoctorContext> = {
  id: 'axon',
  title: 'axon address on chain',
  async run(ctx) {
    const t = ctx.target;
    const announce = t.announce;
    if (!announce) return skip('this role serves no axon');
    if (announce.ip === null) {
      return fail(
        announce.why ?? 'no external address',
        'set --axon.external_ip to the public address validators should reach (and --axon.external_port behind NAT)',
      );
    }
    // Port 0: the port is chosen at start, so only the address can be compared.
    const anyPort = announce.port === 0;
    const wanted = anyPort ? `${announce.ip}:<port chosen at start>` : `${announce.ip}:${announce.port}`;
    if (!t.isLocal && isPrivateAddress(announce.ip)) {
      return fail(
        `${wanted} is a private or loopback address: validators cannot reach it`,
        'set --axon.external_ip to this machine’s public address',
      );
    }
    const n = ctx.neuron;
    if (!n) return skip(`needs a registered uid (will announce ${wanted})`);
    const onChain = `${n.axon.ip}:${n.axon.port}`;
    const data = { onChain, announce: wanted };
    if (n.axon.ip === announce.ip && (anyPort || n.axon.port === announce.port))
      return pass(`${onChain} as announced`, data);
    if (n.axon.ip === '0.0.0.0' || n.axon.port === 0) {
      return warn(`not served yet; the first start announces ${wanted}`, 'none: start the miner', data);
    }
    return warn(
      `chain has ${onChain}, this configuration announces ${wanted}; the start re-announces it (serve_axon)`,
      'if the chain value is right, set --axon.external_ip/--axon.external_port to it',
      data,
    );
  },
};

/** A Redis server answers `PING` with `+PONG` (RESP, no client library). */
export function redisPing(url: string, timeoutMs: number): Promise<string> {
  const u = new URL(url);
  const { host, port } = hostPort(url);
  const commands: string[][] = [];
  if (u.password) {
    const user = decodeURIComponent(u.username);
    commands.push(['AUTH', ...(user ? [user] : []), decodeURIComponent(u.password)]);
  }
  commands.push(['PING']);
  const resp = commands
    .map((c) => `*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`)
    .join('');
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    let buffer = '';
    const done = (err: Error | null, value?: string) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no answer within ${timeoutMs} ms`)));
    socket.once('error', (err: NodeJS.ErrnoException) => done(new Error(err.code ?? err.message)));
    socket.once('connect', () => socket.write(resp));
    socket.once('close', () => done(new Error('connection closed before a reply')));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\r\n');
      const replies = lines.slice(0, -1);
      const foreign = replies.find((l) => !/^[-+:$*]/.test(l));
      if (foreign !== undefined) return done(new Error(`not a Redis reply: ${foreign.slice(0, 40)}`));
      const error = replies.find((l) => l.startsWith('-'));
      if (error) return done(new Error(error.slice(1)));
      if (replies.length >= commands.length) done(null, replies.at(-1)!);
    });
  });
}

/** The proving pool's Redis answers (only where the role has a pool configured). */
export const redisCheck: Check<DoctorContext> = {
  id: 'redis',
  title: 'proving pool (Redis)',
  async run(ctx) {
    const url = ctx.target.redisUrl;
    if (!url) return skip('no pool configured');
    const shown = url.replace(/\/\/[^@/]*@/, '//***@');
    try {
      const reply = await redisPing(url, ctx.target.timeoutMs);
      return reply === '+PONG'
        ? pass(`${shown} answers PONG`)
        : fail(`${shown} answered ${JSON.stringify(reply)} to PING`, 'is this a Redis server?');
    } catch (err) {
      return fail(
        `${shown}: ${(err as Error).message}`,
        'start Redis (systemctl start redis-server) or fix the pool URL and its password',
      );
    }
  },
};
