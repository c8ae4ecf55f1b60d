import { ProtocolError } from './errors.js';
import { parseSynapseHeaders } from './headers.js';
import { readBodyLimited } from './read-body.js';
import type { SynapseBase, SynapseDefinition } from './synapse.js';
import { emptyTerminalInfo, type TerminalInfo } from './terminal-info.js';

export interface DecodedResponse<T extends SynapseBase> {
  synapse: T;
  statusCode: number;
  statusMessage: string;
  /** The body text exactly as received (what the axon's response signature covers); absent when unread. */
  body?: string;
}

function mergeNonNull(base: TerminalInfo | null, over: TerminalInfo): TerminalInfo {
  const out: Record<string, unknown> = { ...(base ?? emptyTerminalInfo()) };
  for (const [k, v] of Object.entries(over)) if (v !== null) out[k] = v;
  return out as TerminalInfo;
}

const unparsable = <T extends SynapseBase>(synapse: T, why: string): DecodedResponse<T> => ({
  synapse,
  statusCode: 422,
  statusMessage: `Failed to parse response: ${why}`,
});

/**
 * The SDK's `Dendrite.process_server_response`. On HTTP 200 the body must validate as the synapse.
 * Otherwise the status is the HTTP code and the message is `json.message`. In both cases
 * non-null `bt_header_axon_*` / `bt_header_dendrite_*` response headers are merged in. A body that
 * is not JSON, or does not validate, is 422 "Failed to parse response", as in the SDK.
 * Transport errors (reset, timeout) propagate to the caller.
 */
export async function decodeAxonResponse<T extends SynapseBase>(
  def: SynapseDefinition<T>,
  sent: T,
  res: Response,
): Promise<DecodedResponse<T>> {
  let body: string;
  try {
    body = await readBodyLimited(res, def.maxBodyBytes);
  } catch (err) {
    if (err instanceof ProtocolError && err.code === 'PAYLOAD_TOO_LARGE')
      return unparsable(sent, err.message);
    throw err;
  }
  return { ...decodeAxonBody(def, sent, res, body), body };
}

function decodeAxonBody<T extends SynapseBase>(
  def: SynapseDefinition<T>,
  sent: T,
  res: Response,
  body: string,
): DecodedResponse<T> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return unparsable(sent, 'body is not JSON');
  }
  let synapse: T;
  if (res.status === 200) {
    const parsed = def.schema.safeParse(json);
    if (!parsed.success) return unparsable(sent, 'synapse failed validation');
    synapse = parsed.data;
  } else {
    const message = (json as { message?: unknown } | null)?.message;
    const axon = {
      ...(sent.axon ?? emptyTerminalInfo()),
      status_code: res.status,
      status_message: typeof message === 'string' ? message : null,
    };
    synapse = { ...sent, axon };
  }
  let fromHeaders: ReturnType<typeof parseSynapseHeaders> | undefined;
  try {
    fromHeaders = parseSynapseHeaders(res.headers);
  } catch {
    // malformed response headers carry no extra information; the body decides
  }
  const axon = fromHeaders
    ? mergeNonNull(synapse.axon, fromHeaders.axon)
    : (synapse.axon ?? emptyTerminalInfo());
  const dendrite = fromHeaders ? mergeNonNull(synapse.dendrite, fromHeaders.dendrite) : synapse.dendrite;
  synapse = { ...synapse, axon, dendrite };
  if (axon.status_code === null) return unparsable(synapse, 'no axon.status_code');
  return { synapse, statusCode: axon.status_code, statusMessage: axon.status_message ?? '' };
}
