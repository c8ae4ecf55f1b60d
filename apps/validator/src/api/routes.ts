import { getConnInfo } from '@hono/node-server/conninfo';
import type { VerifyAnswer } from '@omron/client';
import { encodeProofPayload, honoOnError } from '@omron/protocol';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { verifyPayload } from '../verify-response.js';
import { ApiError, apiErrorEnvelope } from './api-error.js';
import { type CircuitCatalog, circuitInfo, PROOF_SYSTEM } from './catalog.js';
import type { ApiGate } from './gate.js';
import type { OrganicRouter } from './organic.js';

/** Largest request body: the biggest circuit input as JSON, with room to spare. */
export const MAX_BODY_BYTES = 1 << 20;

export interface InferenceApiDeps {
  catalog: CircuitCatalog;
  router: OrganicRouter;
  gate: ApiGate;
}

type Env = { Variables: { key: string; body: unknown } };

function remoteAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError('BAD_REQUEST', 'the body is not JSON');
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The verified-inference API (mounted at `/v1`). A thin adapter: the gate authenticates and limits, the
 * catalog validates, the organic router asks miners and verifies. Every refusal is `{ error: { code, message } }`.
 * - `GET /circuits`, `/circuits/:id`, `/circuits/:id/vk`, `/circuits/:id/settings`: open to all (rate-limited per IP)
 * - `POST /infer` `{ circuit, inputs }` → `InferAnswer`; `POST /verify` `{ circuit, inputs, proof, publicSignals }`
 */
export function createInferenceApi(deps: InferenceApiDeps): Hono<Env> {
  const { catalog, router, gate } = deps;
  const api = new Hono<Env>();

  api.onError(honoOnError({ envelope: apiErrorEnvelope }));
  api.notFound((c) =>
    c.json(
      apiErrorEnvelope(new ApiError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`).toJSON()),
      404,
    ),
  );

  const signed = async (c: Context<Env>, next: () => Promise<void>) => {
    const raw = await c.req.text();
    const url = new URL(c.req.url);
    const key = gate.admit({
      method: c.req.method,
      path: url.pathname + url.search,
      headers: c.req.raw.headers,
      body: raw,
      remoteAddress: remoteAddress(c),
    });
    c.set('key', key);
    c.set('body', raw.length === 0 ? undefined : parseJson(raw));
    await next();
  };
  const open = async (c: Context<Env>, next: () => Promise<void>) => {
    // Published data: anyone may read it, within a per-IP rate limit.
    gate.admitOpen(remoteAddress(c));
    await next();
  };
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) =>
      c.json(
        apiErrorEnvelope(new ApiError('BAD_REQUEST', `the body is over ${MAX_BODY_BYTES} bytes`).toJSON()),
        413,
      ),
  });

  api.get('/circuits', open, (c) => c.json(catalog.circuits.map((circuit) => circuitInfo(circuit))));
  api.get('/circuits/:id', open, (c) => c.json(circuitInfo(catalog.get(c.req.param('id')))));
  api.get('/circuits/:id/vk', open, (c) => {
    const circuit = catalog.get(c.req.param('id'));
    c.header('content-type', 'application/octet-stream');
    c.header('content-disposition', `attachment; filename="${circuit.name}.vk"`);
    return c.body(new Uint8Array(circuit.verifyingKey));
  });
  api.get('/circuits/:id/settings', open, (c) => {
    c.header('content-type', 'application/json');
    return c.body(catalog.get(c.req.param('id')).settingsJson);
  });

  api.post('/infer', limitBody, signed, async (c) => {
    const body = c.get('body');
    if (!isObject(body))
      throw new ApiError('BAD_REQUEST', 'send { "circuit": "<name or id>", "inputs": [[...]] }');
    const circuit = catalog.get(body.circuit);
    const inputs = catalog.parseInputs(circuit, body.inputs);
    const release = gate.enter(c.get('key'));
    try {
      return c.json(await router.infer(circuit, inputs, { signal: c.req.raw.signal }));
    } finally {
      release();
    }
  });

  api.post('/verify', limitBody, signed, async (c) => {
    const body = c.get('body');
    if (!isObject(body)) {
      throw new ApiError(
        'BAD_REQUEST',
        'send { "circuit", "inputs", "proof": "0x…", "publicSignals": [...] }',
      );
    }
    const circuit = catalog.get(body.circuit);
    const inputs = catalog.parseInputs(circuit, body.inputs);
    const { proof, publicSignals } = body;
    if (
      typeof proof !== 'string' ||
      !Array.isArray(publicSignals) ||
      !publicSignals.every((s) => typeof s === 'string')
    ) {
      throw new ApiError('BAD_REQUEST', 'proof must be 0x hex and publicSignals an array of strings');
    }
    let own: ReturnType<typeof circuit.quantizeInputs>;
    try {
      own = circuit.quantizeInputs(inputs);
    } catch (err) {
      throw new ApiError('INVALID_INPUT', (err as Error).message);
    }
    // The same binding and verification as a miner's answer: the proof must carry our quantization of `inputs`.
    let output: string;
    try {
      output = encodeProofPayload({
        format_version: 1,
        model_id: circuit.id,
        proof_system: PROOF_SYSTEM,
        proof: proof.toLowerCase(),
        public_signals: publicSignals,
        public_inputs: inputs,
        outputs: [],
      });
    } catch (err) {
      throw new ApiError('BAD_REQUEST', `not a proof: ${(err as Error).message.slice(0, 300)}`);
    }
    const verdict = await verifyPayload(circuit, own, output);
    const answer: VerifyAnswer = verdict.verified
      ? { verified: true }
      : { verified: false, reason: verdict.reason, detail: verdict.detail };
    return c.json(answer);
  });

  return api;
}
