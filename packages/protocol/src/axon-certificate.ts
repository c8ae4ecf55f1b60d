import { X509Certificate } from 'node:crypto';
import { ProtocolError } from './errors.js';

/** `serve_axon_tls` algorithm byte for an Ed25519 key (the value other Bittensor tools use for it too). */
export const ED25519_CERTIFICATE_ALGORITHM = 1;

/**
 * The key an axon announces with `serve_axon_tls`: the chain stores one algorithm byte and a public key of
 * at most 64 bytes, not the X.509 certificate. A dendrite pins the axon's TLS certificate to this key.
 */
export interface AxonCertificate {
  algorithm: number;
  /** The raw public key, `0x` hex (32 bytes for Ed25519). */
  publicKey: `0x${string}`;
}

/**
 * The announced form of a TLS certificate's key. Only Ed25519 certificates are supported: their raw key
 * (32 bytes) fits the chain's 64-byte field, and Node/OpenSSL serve them over TLS 1.3.
 *
 * @example
 * const pin = axonCertificateOf(readFileSync('axon-cert.pem')); // { algorithm: 1, publicKey: '0x…' }
 */
export function axonCertificateOf(certificate: X509Certificate | string | Buffer): AxonCertificate {
  let x509: X509Certificate;
  try {
    x509 = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate);
  } catch (err) {
    throw new ProtocolError('TLS_CERTIFICATE_UNSUPPORTED', 'not a PEM or DER X.509 certificate', {
      cause: err,
    });
  }
  const key = x509.publicKey;
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ProtocolError(
      'TLS_CERTIFICATE_UNSUPPORTED',
      `the axon certificate has a ${key.asymmetricKeyType ?? 'unknown'} key; only Ed25519 keys can be announced on chain (openssl req -x509 -newkey ed25519 …)`,
    );
  }
  const { x } = key.export({ format: 'jwk' });
  return {
    algorithm: ED25519_CERTIFICATE_ALGORITHM,
    publicKey: `0x${Buffer.from(x ?? '', 'base64url').toString('hex')}`,
  };
}

/** The `certificate: Vec<u8>` argument of `serve_axon_tls`: algorithm byte, then the key. */
export function encodeAxonCertificate(certificate: AxonCertificate): Uint8Array {
  const key = Buffer.from(certificate.publicKey.slice(2), 'hex');
  return Uint8Array.from([certificate.algorithm, ...key]);
}

export function sameAxonCertificate(a: AxonCertificate, b: AxonCertificate): boolean {
  return a.algorithm === b.algorithm && a.publicKey.toLowerCase() === b.publicKey.toLowerCase();
}
