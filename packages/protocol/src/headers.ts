import { z } from 'zod';
import { ProtocolError } from './errors.js';
import { pythonFloatRepr } from './python-str.js';
import type { SynapseBase, SynapseDefinition } from './synapse.js';
import { PyFloatField, TERMINAL_FIELDS, TerminalInfo } from './terminal-info.js';

const AXON_PREFIX = 'bt_header_axon_';
const DENDRITE_PREFIX = 'bt_header_dendrite_';
const INPUT_OBJ_PREFIX = 'bt_header_input_obj_';

/**
 * Python `str()` of a header value, limited to printable ASCII: HTTP header values are byte
 * strings, and a status message may carry any text.
 */
function headerValue(value: string | number | bigint, isFloat: boolean): string {
  if (typeof value === 'number' && isFloat) return pythonFloatRepr(value);
  return String(value).replace(/[^\x20-\x7e]/g, '?');
}

function terminalHeaders(prefix: string, info: TerminalInfo | null, out: Record<string, string>): void {
  if (!info) return;
  for (const field of TERMINAL_FIELDS) {
    const value = info[field];
    if (value !== null) out[`${prefix}${field}`] = headerValue(value, field === 'process_time');
  }
}

/** `json.dumps(type(value)())`: the empty value of the same Python type. */
function emptyValueJson(value: unknown): string {
  if (typeof value === 'string') return '""';
  if (typeof value === 'boolean') return 'false';
  if (typeof value === 'number') return Number.isInteger(value) ? '0' : '0.0';
  if (typeof value === 'bigint') return '0';
  if (Array.isArray(value)) return '[]';
  return '{}';
}

/**
 * The SDK's `Synapse.to_headers()`: all names lowercase with underscores, in the SDK's order.
 * `bodyHash` becomes `computed_body_hash`; `totalSize` is informational (any int parses).
 */
export function synapseToHeaders<T extends SynapseBase>(
  def: SynapseDefinition<T>,
  synapse: T,
  bodyHash: string,
  totalSize = 0,
): Record<string, string> {
  const headers: Record<string, string> = { name: def.name, timeout: pythonFloatRepr(synapse.timeout ?? 12) };
  terminalHeaders(AXON_PREFIX, synapse.axon, headers);
  terminalHeaders(DENDRITE_PREFIX, synapse.dendrite, headers);
  const fields = synapse as unknown as Record<string, unknown>;
  for (const field of def.requiredFields) {
    const value = fields[field];
    if (value === null || value === undefined) continue;
    headers[`${INPUT_OBJ_PREFIX}${field}`] = Buffer.from(emptyValueJson(value)).toString('base64');
  }
  const headerSize = Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length, 0);
  headers.header_size = String(headerSize);
  headers.total_size = String(totalSize);
  headers.computed_body_hash = bodyHash;
  return headers;
}

/** What `Synapse.from_headers` recovers: identity and routing data, before the body is read. */
export interface ParsedSynapseHeaders {
  name: string | null;
  timeout: number | null;
  computedBodyHash: string | null;
  axon: TerminalInfo;
  dendrite: TerminalInfo;
  /** Decoded `bt_header_input_obj_*` values (dummy empties in practice). */
  inputObjects: Record<string, unknown>;
}

type HeaderSource = Headers | Record<string, string | undefined>;

function entriesOf(headers: HeaderSource): [string, string][] {
  if (headers instanceof Headers) return [...headers.entries()];
  return Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined);
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ProtocolError('HEADERS_INVALID', `invalid ${what} headers: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Parses request or response headers like `Synapse.parse_headers_to_inputs`. Header names are
 * matched in lowercase (Node lowercases them anyway). Bad numbers are `HEADERS_INVALID`.
 */
export function parseSynapseHeaders(headers: HeaderSource): ParsedSynapseHeaders {
  const axon: Record<string, string> = {};
  const dendrite: Record<string, string> = {};
  const inputObjects: Record<string, unknown> = {};
  let name: string | null = null;
  let timeout: string | null = null;
  let computedBodyHash: string | null = null;
  for (const [rawKey, value] of entriesOf(headers)) {
    const key = rawKey.toLowerCase();
    // Field names become object keys below; never let a header name reach a prototype.
    if (key.endsWith('__proto__') || key.endsWith('constructor') || key.endsWith('prototype')) continue;
    if (key.startsWith(AXON_PREFIX)) axon[key.slice(AXON_PREFIX.length)] = value;
    else if (key.startsWith(DENDRITE_PREFIX)) dendrite[key.slice(DENDRITE_PREFIX.length)] = value;
    else if (key.startsWith(INPUT_OBJ_PREFIX)) {
      try {
        inputObjects[key.slice(INPUT_OBJ_PREFIX.length)] = JSON.parse(
          Buffer.from(value, 'base64').toString('utf8'),
        );
      } catch {
        // the SDK logs and skips undecodable input objects
      }
    } else if (key === 'name') name = value;
    else if (key === 'timeout') timeout = value;
    else if (key === 'computed_body_hash') computedBodyHash = value;
  }
  return {
    name,
    timeout: timeout === null ? null : parseOrThrow(PyFloatField, timeout, 'timeout'),
    computedBodyHash,
    axon: parseOrThrow(TerminalInfo, axon, 'axon'),
    dendrite: parseOrThrow(TerminalInfo, dendrite, 'dendrite'),
    inputObjects,
  };
}
