import { ProtocolError } from './errors.js';

/**
 * Reads a request/response body as UTF-8 text, refusing more than `maxBytes` (by
 * `content-length` up front, then by counting, since the header may lie or be absent).
 */
export async function readBodyLimited(source: Request | Response, maxBytes: number): Promise<string> {
  const declared = Number(source.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await source.body?.cancel().catch(() => {});
    throw new ProtocolError(
      'PAYLOAD_TOO_LARGE',
      `body of ${declared} bytes exceeds the limit of ${maxBytes}`,
    );
  }
  if (!source.body) return '';
  const reader = source.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ProtocolError('PAYLOAD_TOO_LARGE', `body exceeds the limit of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
