import { ScoringError } from './errors.js';

/** Accepts parsed JSON or JSON text; returns a plain record or throws `INVALID_PERSISTED_STATE`. */
export function parsePersisted(json: unknown): Record<string, unknown> {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch {
      throw new ScoringError('INVALID_PERSISTED_STATE', 'persisted state is not valid JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ScoringError('INVALID_PERSISTED_STATE', 'persisted state must be a JSON object');
  }
  return value as Record<string, unknown>;
}
