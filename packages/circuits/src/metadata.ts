import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CircuitStoreError } from './errors.js';

/** Where the package keeps its circuit metadata (`packages/circuits/circuits`). */
export const DEFAULT_METADATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'circuits');

const Shape = z.array(z.number().int().positive()).min(1);

/** How validators draw benchmark inputs: independent uniform values per element. */
export const InputGeneratorSpec = z.object({
  kind: z.literal('uniform'),
  min: z.number(),
  max: z.number(),
});
export type InputGeneratorSpec = z.infer<typeof InputGeneratorSpec>;

/** One `circuits/<name>.json` file. Paths are relative to that file, never to the cwd. */
export const CircuitMetadataFile = z
  .object({
    name: z.string().regex(/^[a-z0-9_-]+$/),
    description: z.string(),
    /** Disabled circuits are listed (with `note`) but never compiled. */
    enabled: z.boolean().default(true),
    note: z.string().optional(),
    model: z.object({
      path: z.string().min(1),
      /** Hex SHA-256 of the ONNX file; checked at every load. */
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
    compile: z
      .object({
        inputScale: z.number().int().min(0).max(24).default(13),
        paramScale: z.number().int().min(0).max(24).default(13),
      })
      .default({ inputScale: 13, paramScale: 13 }),
    /** One entry per model input, batch dimension included. */
    inputs: z.array(z.object({ shape: Shape, generator: InputGeneratorSpec })).min(1),
    /**
     * Prove the model as a chain of slice circuits that prove in parallel: a slice count (2..64) or a row
     * budget per slice. The circuit's id is then the chain id (over every slice's verifying key).
     */
    slices: z
      .union([z.number().int().min(2).max(64), z.object({ maxRows: z.number().int().positive() }).strict()])
      .optional(),
    timeoutS: z.number().positive().default(60),
    benchmarkWeight: z.number().min(0).default(1),
  })
  .refine((m) => m.inputs.every((i) => i.generator.max > i.generator.min), {
    message: 'input generator max must exceed min',
  });
export type CircuitMetadataFile = z.infer<typeof CircuitMetadataFile>;

/** Metadata plus where it came from. */
export interface CircuitMetadata extends CircuitMetadataFile {
  /** Absolute path of the metadata file. */
  file: string;
  /** Absolute path of the ONNX model. */
  modelPath: string;
}

/** Reads and validates every `*.json` in `dir`, sorted by name. */
export async function readMetadataDir(dir: string = DEFAULT_METADATA_DIR): Promise<CircuitMetadata[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  const all: CircuitMetadata[] = [];
  for (const n of names) all.push(await readMetadataFile(join(dir, n)));
  const seen = new Set<string>();
  for (const m of all) {
    if (seen.has(m.name)) throw new CircuitStoreError('BAD_METADATA', `circuit name ${m.name} is used twice`);
    seen.add(m.name);
  }
  return all;
}

/**
 * Reads the package's metadata directory plus an operator's own folders (`extraDirs`): each
 * folder holds `<name>.json` files like the package's, whose `model.path` is relative to that
 * file (or absolute), so a model can live anywhere on disk and is still pinned by its sha256.
 * A name defined twice, across folders too, is `BAD_METADATA`.
 */
export async function readMetadataDirs(
  dir: string = DEFAULT_METADATA_DIR,
  extraDirs: readonly string[] = [],
): Promise<CircuitMetadata[]> {
  const all: CircuitMetadata[] = [];
  for (const d of [dir, ...extraDirs]) {
    const found = await readMetadataDir(d).catch((e: unknown) => {
      if (e instanceof CircuitStoreError) throw e;
      throw new CircuitStoreError(
        'BAD_METADATA',
        `cannot read circuit folder ${d}: ${(e as Error).message}`,
        {
          dir: d,
        },
      );
    });
    for (const m of found) {
      const twin = all.find((o) => o.name === m.name);
      if (twin) {
        throw new CircuitStoreError(
          'BAD_METADATA',
          `circuit name ${m.name} is defined in ${twin.file} and ${m.file}`,
        );
      }
      all.push(m);
    }
  }
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

/** Reads one metadata file; `BAD_METADATA` with the zod issues when it does not validate. */
export async function readMetadataFile(file: string): Promise<CircuitMetadata> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new CircuitStoreError('BAD_METADATA', `${file}: ${(e as Error).message}`, { file }, { cause: e });
  }
  const parsed = CircuitMetadataFile.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new CircuitStoreError('BAD_METADATA', `${file}: ${issues.join('; ')}`, { file, issues });
  }
  return { ...parsed.data, file, modelPath: resolve(dirname(file), parsed.data.model.path) };
}
