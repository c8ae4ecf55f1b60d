import { connect } from 'node:net';

/** Opens and closes a TCP connection; resolves with the error code (`ECONNREFUSED`, `TIMEOUT`…) or null. */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (code: string | null) => {
      socket.destroy();
      resolve(code);
    };
    socket.setTimeout(timeoutMs, () => done('TIMEOUT'));
    socket.once('connect', () => done(null));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

/** Host and port of a ws(s):// or redis:// URL, with the scheme's default port. */
export function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  const defaults: Record<string, number> = { 'ws:': 80, 'wss:': 443, 'redis:': 6379, 'rediss:': 6379 };
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  return { host, port: u.port ? Number(u.port) : (defaults[u.protocol] ?? 80) };
}
