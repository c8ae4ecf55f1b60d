import { z } from 'zod';
import { defineSynapse, type SynapseDefinition } from './synapse.js';

/** Proofs are a few KiB to a few hundred KiB of JSON; 4 MiB of text leaves headroom. */
export const MAX_QUERY_OUTPUT_CHARS = 4 * 1024 * 1024;

/**
 * `query_input` of Omron's `QueryZkProof` (a Python `Optional[Dict]`): the circuit id and its
 * inputs. Old validators sent `model_id: [0]`; extra keys are kept, as a Python dict keeps them.
 */
export const QueryZkProofInput = z.looseObject({
  model_id: z
    .union([z.string(), z.number().int(), z.array(z.union([z.string(), z.number().int()]))])
    .optional(),
  public_inputs: z.unknown().optional(),
});

/**
 * The request fields the dendrite's signature covers, as the Python class declares them:
 * `required_hash_fields = ("query_input", "timeout")`. `timeout` is a base field, but the miner reads it for
 * its deadline, so it is signed too.
 */
const SIGNED_TIMEOUT = { hashFieldTypes: { timeout: 'float' } } as const;

/** Omron's `QueryZkProof` synapse: validator sends `query_input`, miner fills `query_output`. */
export const QueryZkProofDefinition = defineSynapse(
  'QueryZkProof',
  {
    query_input: QueryZkProofInput.nullable().default(null),
    query_output: z.string().max(MAX_QUERY_OUTPUT_CHARS).nullable().default(null),
  },
  { requiredHashFields: ['query_input', 'timeout'], responseFields: ['query_output'], ...SIGNED_TIMEOUT },
);
export const QueryZkProof = QueryZkProofDefinition.schema;
export type QueryZkProofSynapse = z.output<typeof QueryZkProof>;

/** Omron's `QueryForCapacities`: the miner reports compute units per circuit id. */
export const QueryForCapacitiesDefinition = defineSynapse(
  'QueryForCapacities',
  { capacities: z.record(z.string(), z.number().int()).nullable().default(null) },
  { requiredHashFields: ['timeout'], responseFields: ['capacities'], ...SIGNED_TIMEOUT },
);
export const QueryForCapacities = QueryForCapacitiesDefinition.schema;
export type QueryForCapacitiesSynapse = z.output<typeof QueryForCapacities>;

// Compile-time check that the definitions fit the generic wire code.
QueryZkProofDefinition satisfies SynapseDefinition<QueryZkProofSynapse>;
QueryForCapacitiesDefinition satisfies SynapseDefinition<QueryForCapacitiesSynapse>;
