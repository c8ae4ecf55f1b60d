import type { KeyringPair } from '@polkadot/keyring/types';
import type { AxonCertificate } from './axon-certificate.js';
import { computeBodyHash } from './body-hash.js';
import { synapseToHeaders } from './headers.js';
import { toWireJson } from './json.js';
import type { PyValue } from './python-str.js';
import { requestSignatureMessage, signMessage } from './signature.js';
import type { SynapseBase, SynapseDefinition } from './synapse.js';
import { emptyTerminalInfo } from './terminal-info.js';

/** Where a request goes: an axon as served on chain. */
export interface AxonTarget {
  ip: string;
  port: number;
  hotkey: string;
  /** The key announced with `serve_axon_tls`: the request goes over HTTPS, pinned to this key. */
  certificate?: AxonCertificate | undefined;
}

export interface SignedRequestInput<T extends SynapseBase> {
  definition: SynapseDefinition<T>;
  synapse: T;
  signer: KeyringPair;
  target: AxonTarget;
  nonce: bigint;
  uuid: string;
  version: number;
  /** Our external IP as the SDK reports it (informational; axons use the TCP peer). */
  externalIp: string;
  timeoutS: number;
}

export interface SignedRequest<T extends SynapseBase> {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The synapse as sent: timeout, dendrite and axon terminal info filled in, signed. */
  synapse: T;
  bodyHash: string;
}

/** Body hash of a synapse from its own (JS) field values; see {@link computeBodyHash}. */
export function synapseBodyHash<T extends SynapseBase>(def: SynapseDefinition<T>, synapse: T): string {
  const fields = synapse as unknown as Record<string, PyValue>;
  return computeBodyHash(def.requiredHashFields, (f) => fields[f] ?? null, def.hashFieldTypes);
}

function hostForUrl(ip: string): string {
  return ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip;
}

/**
 * What `Dendrite.preprocess_synapse_for_request` + `to_headers` + `model_dump` produce: the URL,
 * the exact headers, and the JSON body (every field, `computed_body_hash` left `""` as in the SDK).
 */
export function buildSignedRequest<T extends SynapseBase>(input: SignedRequestInput<T>): SignedRequest<T> {
  const { definition: def, target } = input;
  const dendrite = {
    ...emptyTerminalInfo(),
    ip: input.externalIp,
    version: input.version,
    nonce: input.nonce,
    uuid: input.uuid,
    hotkey: input.signer.address,
  };
  const axon = { ...emptyTerminalInfo(), ip: target.ip, port: target.port, hotkey: target.hotkey };
  const unsigned: T = { ...input.synapse, name: def.name, timeout: input.timeoutS, dendrite, axon };
  const bodyHash = synapseBodyHash(def, unsigned);
  const message = requestSignatureMessage({
    nonce: input.nonce,
    dendriteHotkey: dendrite.hotkey,
    axonHotkey: target.hotkey,
    uuid: input.uuid,
    bodyHash,
  });
  const synapse: T = {
    ...unsigned,
    dendrite: { ...dendrite, signature: signMessage(input.signer, message) },
  };
  const body = toWireJson({ ...synapse, computed_body_hash: '' });
  return {
    url: `${target.certificate ? 'https' : 'http'}://${hostForUrl(target.ip)}:${target.port}/${def.name}`,
    headers: {
      ...synapseToHeaders(def, synapse, bodyHash, Buffer.byteLength(body)),
      'content-type': 'application/json',
    },
    body,
    synapse,
    bodyHash,
  };
}
