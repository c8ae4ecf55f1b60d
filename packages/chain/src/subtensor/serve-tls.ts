import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { u8aToHex } from '@polkadot/util';
import { certificateFromJson, encodeCertificate } from '../certificate.js';
import { validateAxonEndpoint } from '../ip.js';
import type { AxonCertificate, ServeAxonRequest } from '../types.js';
import { subtensorCall } from './api.js';
import { AXON_PROTOCOL } from './extrinsics.js';

/**
 * `SubtensorModule.serve_axon_tls(netuid, version, ip u128, port, ip_type, protocol, 0, 0, certificate)`
 * (call 40): `serve_axon` plus the certificate key, stored in `NeuronCertificates(netuid, hotkey)`.
 */
export function serveAxonTlsTx(
  api: ApiPromise,
  netuid: number,
  axon: ServeAxonRequest & { certificate: AxonCertificate },
): SubmittableExtrinsic<'promise'> {
  const { ip, ipType } = validateAxonEndpoint(axon.ip, axon.port);
  return subtensorCall(api, 'serveAxonTls')(
    netuid,
    axon.version ?? 0,
    ip,
    axon.port,
    ipType,
    AXON_PROTOCOL,
    0,
    0,
    // Hex, not a Uint8Array: @polkadot/types reads a Uint8Array for `Bytes` as already length-prefixed.
    u8aToHex(encodeCertificate(axon.certificate)),
  );
}

/** `NeuronCertificates(netuid, hotkey)`, or undefined when the axon announced none. */
export async function readCertificate(
  api: ApiPromise,
  netuid: number,
  hotkey: string,
): Promise<AxonCertificate | undefined> {
  const query = api.query.subtensorModule?.neuronCertificates;
  if (!query) return undefined;
  return certificateFromJson((await query(netuid, hotkey)).toJSON());
}

/** Every certificate key announced on `netuid`, by hotkey (one paged storage read). */
export async function readCertificates(
  api: ApiPromise,
  netuid: number,
): Promise<Map<string, AxonCertificate>> {
  const query = api.query.subtensorModule?.neuronCertificates;
  const out = new Map<string, AxonCertificate>();
  if (!query) return out; // runtimes before TLS axons
  for (const [key, value] of await query.entries(netuid)) {
    const hotkey = key.args[1]?.toString();
    const certificate = certificateFromJson(value.toJSON());
    if (hotkey && certificate) out.set(hotkey, certificate);
  }
  return out;
}
