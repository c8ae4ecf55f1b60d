import { readFile } from 'node:fs/promises';
import type { ProverBackend } from './backend.js';
import { CircuitStoreError } from './errors.js';
import { findSrsFile } from './key-cache.js';
import type { CircuitMetadata } from './metadata.js';

/** Where real SRS files come from, for error messages and docs. */
export const REAL_SRS_HELP =
  'perpetual-powers-of-tau files in halo2 ParamsKZG raw layout, as PSE and EZKL distribute them; a larger kzg{j}.srs also serves a smaller k';

/**
 * Off the local network every circuit needs a real `kzg{j}.srs` (j ≥ its k) in `srsDir`: checked for all
 * circuits before any key is built, so the error names every file at once.
 */
export async function requireRealSrsFiles(
  selected: readonly CircuitMetadata[],
  backend: ProverBackend,
  srsDir: string | undefined,
): Promise<void> {
  const ks = new Set<number>();
  for (const meta of selected) {
    if (!meta.enabled) continue;
    const onnx = await readFile(meta.modelPath).catch(() => undefined);
    if (!onnx) continue; // MODEL_MISSING is reported by the load itself
    // A sliced circuit's slices share one SRS: the largest slice's k (as the store loads it).
    ks.add(
      meta.slices === undefined
        ? (await backend.compile(onnx, meta.compile)).settings.k
        : Math.max(
            ...(await backend.compileSlices(onnx, meta.compile, meta.slices)).slices.map((s) => s.settings.k),
          ),
    );
  }
  const missing: number[] = [];
  for (const k of [...ks].sort((a, b) => a - b)) {
    if (!srsDir || !(await findSrsFile(srsDir, k))) missing.push(k);
  }
  if (missing.length === 0) return;
  const files = missing.map((k) => `kzg${k}.srs`).join(', ');
  throw new CircuitStoreError(
    'SRS_REQUIRED',
    `the insecure development SRS is refused off the local network; needed: ${files} (${REAL_SRS_HELP}) in --srs.dir, ` +
      (srsDir ? `which is ${srsDir} and lacks them` : 'which is not set'),
    { missing, srsDir: srsDir ?? null },
  );
}
