import { z } from 'zod';
import type { PyFieldType } from './body-hash.js';
import { ProtocolError } from './errors.js';
import { emptyTerminalInfo, PyFloatField, PyInt, TerminalInfo } from './terminal-info.js';

/** Default dendrite timeout of the SDK, in seconds. */
export const DEFAULT_TIMEOUT_S = 12;

/** Fields every `bittensor.Synapse` has, with the SDK's defaults. */
export const synapseBaseShape = {
  name: z.string().nullable().default(null),
  timeout: PyFloatField.nullable().default(DEFAULT_TIMEOUT_S),
  total_size: PyInt.nullable().default(0),
  header_size: PyInt.nullable().default(0),
  dendrite: TerminalInfo.nullable().default(emptyTerminalInfo),
  axon: TerminalInfo.nullable().default(emptyTerminalInfo),
  computed_body_hash: z.string().nullable().default(''),
};

export type SynapseBase = z.output<z.ZodObject<typeof synapseBaseShape>>;

/**
 * Everything the wire protocol needs to know about one Python synapse class.
 * `schema` parses a full synapse (base fields + class fields); unknown fields are dropped, as
 * pydantic's default `extra='ignore'` does.
 */
export interface SynapseDefinition<T extends SynapseBase = SynapseBase> {
  /** The Python class name: the URL path and the `name` field. */
  readonly name: string;
  readonly schema: z.ZodType<T, unknown>;
  /** Class fields without a default; each gets a `bt_header_input_obj_<field>` header. */
  readonly requiredFields: readonly string[];
  /** `required_hash_fields` of the Python class, in its tuple order: the request fields the signature covers. */
  readonly requiredHashFields: readonly string[];
  /** The class's own fields (base `Synapse` fields excluded), in definition order. */
  readonly fields: readonly string[];
  /**
   * Fields the axon fills in its answer (e.g. `query_output`). Every other class field is a request field and
   * must be in `requiredHashFields`, or {@link unsignedRequestFields} reports it and the axon refuses to serve it.
   */
  readonly responseFields: readonly string[];
  /** Pydantic types of hashed fields where `str()` depends on them (see {@link PyFieldType}). */
  readonly hashFieldTypes: Readonly<Record<string, PyFieldType>>;
  /** Requests and responses larger than this are rejected (bytes of JSON). */
  readonly maxBodyBytes: number;
}

export interface DefineSynapseOptions {
  requiredFields?: readonly string[];
  requiredHashFields?: readonly string[];
  hashFieldTypes?: Record<string, PyFieldType>;
  responseFields?: readonly string[];
  maxBodyBytes?: number;
}

/** Default request/response size cap: generous for proofs, small enough to refuse floods. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Declares a synapse class. The parsed `name` is always the class name, as the SDK's
 * `set_name_type` validator forces it.
 *
 * @example
 * const Echo = defineSynapse('Echo', { text: z.string().nullable().default(null) });
 */
export function defineSynapse<const Shape extends z.ZodRawShape>(
  name: string,
  shape: Shape,
  opts: DefineSynapseOptions = {},
) {
  const object = z.object({ ...synapseBaseShape, ...shape });
  const schema = z.preprocess(
    (input) => (input !== null && typeof input === 'object' ? { ...input, name } : input),
    object,
  );
  const definition = {
    name,
    schema,
    requiredFields: opts.requiredFields ?? [],
    requiredHashFields: opts.requiredHashFields ?? [],
    fields: Object.keys(shape),
    responseFields: opts.responseFields ?? [],
    hashFieldTypes: opts.hashFieldTypes ?? {},
    maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  };
  // Callers get the concrete schema type; concrete definitions check against SynapseDefinition.
  return definition;
}

/**
 * Request fields of `def` that its body hash does not cover: a handler reading one of them would act on
 * input that anyone on the path can change after signing. Empty for every synapse an axon serves.
 */
export function unsignedRequestFields(def: SynapseDefinition): string[] {
  return def.fields.filter((f) => !def.responseFields.includes(f) && !def.requiredHashFields.includes(f));
}

/** Builds a complete synapse (defaults filled, validated) from the class fields you set. */
export function createSynapse<T extends SynapseBase>(def: SynapseDefinition<T>, fields: Partial<T> = {}): T {
  const parsed = def.schema.safeParse(fields);
  if (!parsed.success) {
    throw new ProtocolError('SYNAPSE_INVALID', `invalid ${def.name}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** The base `Synapse` class: the SDK attaches it as a ping route on every axon. */
export const PingSynapseDefinition = defineSynapse('Synapse', {});
