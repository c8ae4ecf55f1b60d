import { createHash } from 'node:crypto';
import type * as Binding from '../binding.cjs';
import { awaitNative, callNative, ProverError } from './errors.js';
import type { ModelInputs } from './inputs.js';
import { type IntegerTensors, toDecimalTensors } from './integers.js';
import type { VerifyingKey } from './keys.js';
import { native } from './native.js';
import type { ProveOptions, Prover, SliceProof } from './prover.js';
import type { ModelSettings } from './settings.js';
import type { SlicedModel, SlicePublicValues } from './slices.js';
import type { Srs } from './srs.js';

/** Wall, CPU-side and critical-path times of a chain proved in parallel, in ms. */
export interface ChainTimings {
  /** From the forward pass to the last slice proof. */
  readonly wallMs: number;
  /** Sum of the slices' native proving times (what K machines spend together). */
  readonly cpuMs: number;
  /** The longest slice: what K machines proving one slice each would take. */
  readonly criticalPathMs: number;
  /** Native time of each slice. */
  readonly sliceMs: number[];
}

export interface ChainProveResult {
  /** The model's outputs (dequantized), from the last slice. */
  readonly outputs: number[][];
  readonly chain: SliceProof[];
  readonly timings: ChainTimings;
}

/**
 * Proves every slice of `sliced` on `inputs` at once (one forward pass, then all slices in
 * parallel on the addon's worker threads). `provers[i]` proves `sliced.slices[i]`.
 */
export async function proveChain(
  provers: readonly Prover[],
  sliced: SlicedModel,
  inputs: ModelInputs,
  options: Pick<ProveOptions, 'signal'> = {},
): Promise<ChainProveResult> {
  if (provers.length !== sliced.slices.length)
    throw new ProverError('BAD_SETTINGS', `${sliced.slices.length} slices need as many provers`);
  provers.forEach((p, i) => {
    if (p.modelHash !== sliced.slices[i]?.modelHash)
      throw new ProverError('MODEL_MISMATCH', `prover ${i} does not prove slice ${i}`);
  });
  const started = performance.now();
  const values = sliced.forward(inputs);
  const results = await Promise.all(
    provers.map((prover, i) => prover.proveSlice((values[i] as SlicePublicValues).inputs, options)),
  );
  const sliceMs = results.map((r) => r.timings.totalMs);
  return {
    outputs: (results.at(-1) as (typeof results)[number]).outputs,
    chain: results.map(({ proof, publicInputs }) => ({ proof, publicInputs })),
    timings: {
      wallMs: performance.now() - started,
      cpuMs: sliceMs.reduce((a, b) => a + b, 0),
      criticalPathMs: Math.max(...sliceMs),
      sliceMs,
    },
  };
}

/** The claim a chain is checked against: the verifier's own quantized inputs and the claimed outputs. */
export interface ChainClaim {
  readonly inputs: IntegerTensors;
  readonly outputs: IntegerTensors;
}

/**
 * Verifies chains of one sliced model: the slices' verifying keys and settings, in chain order.
 *
 * @example
 * const verifier = ChainVerifier.create(vks, sliced.slices.map((s) => s.settings), srs)
 * const ok = await verifier.verify(chain, { inputs: quantizeInputs(sliced.slices[0].settings, x), outputs })
 */
export class ChainVerifier {
  private constructor(
    private readonly native: Binding.ChainVerifier,
    readonly settings: readonly ModelSettings[],
  ) {}

  /** `BAD_SETTINGS` unless these are slices 0..K−1 of one model in order; `MODEL_MISMATCH`, `BAD_SRS`. */
  static create(keys: readonly VerifyingKey[], settings: readonly ModelSettings[], srs: Srs): ChainVerifier {
    const bytes = keys.map((k) => k.toBytes());
    const json = settings.map((s) => s.json);
    return new ChainVerifier(
      callNative(() => native.createChainVerifier(bytes, json, srs.native)),
      settings,
    );
  }

  /**
   * `true` when every slice proof verifies, slice 0's inputs are exactly `claim.inputs`, each
   * boundary matches and the last outputs are exactly `claim.outputs`; `false` otherwise
   * (missing, extra, swapped or reordered slices included). Malformed proof bytes reject with
   * `BAD_PROOF_FORMAT`, non-integer values with `INVALID_INPUT`.
   */
  async verify(chain: readonly SliceProof[], claim: ChainClaim): Promise<boolean> {
    const parts = chain.map((part, i) => ({
      proof: part.proof,
      publicInputs: {
        inputs: toDecimalTensors(part.publicInputs?.inputs, `chain[${i}].inputs`),
        outputs: toDecimalTensors(part.publicInputs?.outputs, `chain[${i}].outputs`),
      },
    }));
    const inputs = toDecimalTensors(claim.inputs, 'inputs');
    const outputs = toDecimalTensors(claim.outputs, 'outputs');
    return awaitNative(() => this.native.verify(parts, inputs, outputs));
  }
}

/** One-off chain verification; prefer a `ChainVerifier` for many chains of one model. */
export async function verifyChain(
  keys: readonly VerifyingKey[],
  settings: readonly ModelSettings[],
  chain: readonly SliceProof[],
  claim: ChainClaim,
  srs: Srs,
): Promise<boolean> {
  return ChainVerifier.create(keys, settings, srs).verify(chain, claim);
}

/** Total proof bytes of a chain (what a validator scores as its proof size). */
export function chainProofBytes(chain: readonly SliceProof[]): number {
  return chain.reduce((n, part) => n + part.proof.length, 0);
}

/**
 * Id of a sliced circuit: hex sha256 over the sha256 of each slice's verifying-key bytes, in
 * order (a single circuit's id is the sha256 of its one verifying key).
 */
export function chainId(keys: readonly VerifyingKey[]): string {
  const outer = createHash('sha256');
  for (const key of keys) outer.update(createHash('sha256').update(key.toBytes()).digest());
  return outer.digest('hex');
}

const CHAIN_FORMAT = 'omron-chain';
const CHAIN_VERSION = 1;

/** A chain as a file (`prove --slices --proof FILE`): JSON with hex proofs and decimal public values. */
export function encodeChain(chain: readonly SliceProof[]): Uint8Array {
  const slices = chain.map((part) => ({
    proof: Buffer.from(part.proof).toString('hex'),
    inputs: part.publicInputs.inputs,
    outputs: part.publicInputs.outputs,
  }));
  return new TextEncoder().encode(JSON.stringify({ format: CHAIN_FORMAT, version: CHAIN_VERSION, slices }));
}

/** Whether `bytes` look like a chain file rather than a single proof (which starts with its magic). */
export function isChain(bytes: Uint8Array): boolean {
  return bytes[0] === 0x7b; // '{'
}

/** Parses a chain file; `BAD_PROOF_FORMAT` for anything else. */
export function decodeChain(bytes: Uint8Array): SliceProof[] {
  const bad = (why: string) => new ProverError('BAD_PROOF_FORMAT', `not a proof chain: ${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw bad('not JSON');
  }
  const r = raw as { format?: unknown; version?: unknown; slices?: unknown } | null;
  if (r === null || typeof r !== 'object' || r.format !== CHAIN_FORMAT) throw bad('wrong format tag');
  if (r.version !== CHAIN_VERSION) throw bad(`unsupported version ${String(r.version)}`);
  if (!Array.isArray(r.slices) || r.slices.length === 0) throw bad('no slices');
  return r.slices.map((s: { proof?: unknown; inputs?: unknown; outputs?: unknown }, i) => {
    if (typeof s?.proof !== 'string' || !/^(?:[0-9a-f]{2})+$/.test(s.proof))
      throw bad(`slice ${i} proof is not hex`);
    try {
      return {
        proof: new Uint8Array(Buffer.from(s.proof, 'hex')),
        publicInputs: {
          inputs: toDecimalTensors(s.inputs as IntegerTensors, `slice ${i} inputs`),
          outputs: toDecimalTensors(s.outputs as IntegerTensors, `slice ${i} outputs`),
        },
      };
    } catch (error) {
      throw bad((error as Error).message);
    }
  });
}

const BUNDLE_MAGIC = 'OMRN-KB\0';

/** Several key files in one (`setup --slices` writes each slice's key into one --pk / --vk file). */
export function encodeBundle(parts: readonly Uint8Array[]): Uint8Array {
  const size = 12 + parts.reduce((n, p) => n + 8 + p.length, 0);
  const out = Buffer.alloc(size);
  out.write(BUNDLE_MAGIC, 0, 'latin1');
  out.writeUInt32LE(parts.length, 8);
  let at = 12;
  for (const part of parts) {
    out.writeBigUInt64LE(BigInt(part.length), at);
    out.set(part, at + 8);
    at += 8 + part.length;
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Whether `bytes` are a key bundle. */
export function isBundle(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 8)).toString('latin1') === BUNDLE_MAGIC;
}

/** The parts of a key bundle; `BAD_KEY_FORMAT` when truncated or not a bundle. */
export function decodeBundle(bytes: Uint8Array): Uint8Array[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (!isBundle(bytes) || buf.length < 12) throw new ProverError('BAD_KEY_FORMAT', 'not a key bundle');
  const count = buf.readUInt32LE(8);
  const parts: Uint8Array[] = [];
  let at = 12;
  for (let i = 0; i < count; i++) {
    if (at + 8 > buf.length) throw new ProverError('BAD_KEY_FORMAT', 'key bundle is truncated');
    const len = Number(buf.readBigUInt64LE(at));
    if (at + 8 + len > buf.length) throw new ProverError('BAD_KEY_FORMAT', 'key bundle is truncated');
    parts.push(new Uint8Array(buf.subarray(at + 8, at + 8 + len)));
    at += 8 + len;
  }
  if (at !== buf.length) throw new ProverError('BAD_KEY_FORMAT', 'key bundle has trailing bytes');
  return parts;
}
