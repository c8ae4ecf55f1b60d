import type { Context } from 'hono';
import { z } from 'zod';
import type { AxonEnv } from './axon-response.js';
import { computeBodyHash, EMPTY_BODY_HASH } from './body-hash.js';
import { isProtocolError } from './errors.js';
import { parsePythonJson } from './python-json.js';
import type { PyValue } from './python-str.js';
import { readBodyLimited } from './read-body.js';
import type { SynapseBase, SynapseDefinition } from './synapse.js';

/** Builds the error response for a refused request (status, SDK-style message). */
export type Fail = (status: number, message: string) => Response;

/** Body hash as the SDK's axon recomputes it: from the JSON as Python parses it (types, key order). */
function bodyHashOf(def: SynapseDefinition, text: string): string {
  if (def.requiredHashFields.length === 0) return EMPTY_BODY_HASH;
  const parsed = parsePythonJson(text);
  const fields = parsed instanceof Map ? (parsed as Map<string, PyValue>) : new Map<string, PyValue>();
  return computeBodyHash(def.requiredHashFields, (f) => fields.get(f) ?? null, def.hashFieldTypes);
}

/**
 * Reads a verified request's body: size limit (413), JSON and schema (400; the SDK answers 500),
 * then the body hash against the signed `computed_body_hash` header (401: the signature does not cover this body;
 * the SDK answers 500).
 * Returns the synapse, or the error response.
 */
export async function readSynapseBody(
  c: Context<AxonEnv>,
  def: SynapseDefinition,
  headerHash: string | null,
  fail: Fail,
): Promise<SynapseBase | Response> {
  let text: string;
  try {
    text = await readBodyLimited(c.req.raw, def.maxBodyBytes);
  } catch (err) {
    if (isProtocolError(err) && err.httpStatus !== undefined) return fail(err.httpStatus, err.message);
    return fail(400, 'Could not read the request body');
  }
  let json: unknown;
  let parsedHash: string;
  try {
    json = JSON.parse(text);
    parsedHash = bodyHashOf(def, text);
  } catch {
    return fail(400, `Invalid JSON body for synapse ${def.name}`);
  }
  const parsed = def.schema.safeParse(json);
  if (!parsed.success) return fail(400, `Invalid ${def.name} body: ${z.prettifyError(parsed.error)}`);
  if (parsedHash !== headerHash) {
    c.set('axonRefusal', 'BODY_HASH_MISMATCH');
    return fail(
      401,
      `Hash mismatch between header body hash ${headerHash} and parsed body hash ${parsedHash}`,
    );
  }
  return parsed.data;
}
