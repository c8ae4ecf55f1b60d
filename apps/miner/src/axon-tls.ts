import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { type AxonCertificate, axonCertificateOf, isProtocolError } from '@omron/protocol';
import { MinerError } from './errors.js';

/** What the axon serves HTTPS with, and the key it announces with `serve_axon_tls`. */
export interface AxonTls {
  cert: string;
  key: string;
  announced: AxonCertificate;
}

/**
 * Reads `--axon.tls_cert` / `--axon.tls_key` and checks them before the server starts: an Ed25519 certificate
 * (its key is what goes on chain) and a private key that belongs to it. Every problem is `INVALID_CONFIG`; the key's
 * contents never reach a message.
 */
export async function loadAxonTls(paths: { tls_cert?: string; tls_key?: string }): Promise<AxonTls | null> {
  if (!paths.tls_cert || !paths.tls_key) return null;
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      throw new MinerError(
        'INVALID_CONFIG',
        `cannot read the TLS ${what} ${path}: ${(err as Error).message}`,
      );
    }
  };
  const [cert, key] = await Promise.all([read(paths.tls_cert, 'certificate'), read(paths.tls_key, 'key')]);
  let announced: AxonCertificate;
  try {
    announced = axonCertificateOf(cert);
  } catch (err) {
    if (isProtocolError(err)) throw new MinerError('INVALID_CONFIG', `${paths.tls_cert}: ${err.message}`);
    throw err;
  }
  try {
    createSecureContext({ cert, key });
  } catch {
    throw new MinerError(
      'INVALID_CONFIG',
      `${paths.tls_key} is not the private key of ${paths.tls_cert} (or not a PEM key)`,
    );
  }
  return { cert, key, announced };
}
