import { z } from 'zod';
import { ProtocolError } from './errors.js';
import { MAX_QUERY_OUTPUT_CHARS } from './synapses.js';

/** Version of the single-proof JSON below; bump on any incompatible change. */
export const PROOF_PAYLOAD_VERSION = 1;

/** Version of the chain payload: one proof per slice of a sliced model (see `ChainProofPayload`). */
export const CHAIN_PAYLOAD_VERSION = 2;

const hexProof = z.string().regex(/^0x(?:[0-9a-f]{2})*$/, 'proof must be 0x-prefixed lowercase hex');
const signals = z.array(z.string().max(80)).max(1_000_000);

/**
 * Our proof as carried in `QueryZkProof.query_output` (a JSON string). `proof` and
 * `public_signals` keep Omron's key names so Omron-era tooling can still pick them apart.
 */
export const ProofPayload = z.object({
  format_version: z.literal(PROOF_PAYLOAD_VERSION),
  /** Circuit / model id the validator asked for. */
  model_id: z.string().min(1).max(256),
  /** Proving system, e.g. `"halo2-kzg-bn254"`. */
  proof_system: z.string().min(1).max(64),
  /** The proof bytes as lowercase hex, `0x`-prefixed. */
  proof: hexProof,
  /** Public instances (field elements as decimal or 0x-hex strings), in circuit order. */
  public_signals: signals,
  /** The inputs the proof was made for, echoed so the validator can match them to its query. */
  public_inputs: z.unknown(),
  /** The model outputs the proof attests to. */
  outputs: z.array(z.number()).max(1_000_000),
});
export type ProofPayload = z.output<typeof ProofPayload>;

/**
 * A chain of slice proofs of one sliced model (version 2). Slice i's `public_signals` are its inputs then its
 * outputs; slice 0's inputs are the model's, each slice's outputs are the next slice's inputs, and the last
 * slice's outputs are the model's. A validator checks every link (the slices' sizes come from its own circuit).
 */
export const ChainProofPayload = z.object({
  format_version: z.literal(CHAIN_PAYLOAD_VERSION),
  model_id: z.string().min(1).max(256),
  proof_system: z.string().min(1).max(64),
  slices: z
    .array(z.object({ proof: hexProof, public_signals: signals }))
    .min(1)
    .max(64),
  public_inputs: z.unknown(),
  outputs: z.array(z.number()).max(1_000_000),
});
export type ChainProofPayload = z.output<typeof ChainProofPayload>;

/** Any payload a miner may answer with: a single proof (v1) or a chain (v2). */
export const AnyProofPayload = z.discriminatedUnion('format_version', [ProofPayload, ChainProofPayload]);
export type AnyProofPayload = z.output<typeof AnyProofPayload>;

/** Serializes a payload for `query_output` (validated first). */
export function encodeProofPayload(payload: AnyProofPayload): string {
  const text = JSON.stringify(AnyProofPayload.parse(payload));
  if (text.length > MAX_QUERY_OUTPUT_CHARS) {
    throw new ProtocolError(
      'PAYLOAD_TOO_LARGE',
      `proof payload is ${text.length} chars, over ${MAX_QUERY_OUTPUT_CHARS}`,
    );
  }
  return text;
}

/** Parses `query_output`; anything else (an error string, bad JSON, wrong shape) is a typed error. */
export function decodeProofPayload(queryOutput: string | null): AnyProofPayload {
  if (queryOutput === null || queryOutput.length === 0) {
    throw new ProtocolError('SYNAPSE_INVALID', 'query_output is empty');
  }
  if (queryOutput.length > MAX_QUERY_OUTPUT_CHARS) {
    throw new ProtocolError('PAYLOAD_TOO_LARGE', `query_output is ${queryOutput.length} chars`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(queryOutput);
  } catch {
    throw new ProtocolError('JSON_INVALID', 'query_output is not JSON');
  }
  const parsed = AnyProofPayload.safeParse(raw);
  if (!parsed.success) {
    throw new ProtocolError(
      'SYNAPSE_INVALID',
      `query_output is not a proof payload: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}
