import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_METADATA_DIR,
  developmentSrsDir,
  developmentSrsTag,
  findSrsFile,
  KEY_FILES,
  keysDir,
  readMetadataDir,
  srsFileTag,
} from '@omron/circuits';
import {
  compileModel,
  developmentSrsPath,
  readSrs,
  readVerified,
  recordedChecksum,
  sha256Hex,
} from '@omron/prover';
import { type DoctorContext, isDevelopmentNetwork } from '../context.js';
import { type Check, type CheckOutcome, fail, pass, warn } from '../report.js';

/** Size of a `kzg{k}.srs` file in halo2's raw `ParamsKZG` layout: k, 2^k G1 points twice (monomial and Lagrange), two G2 points. */
export function srsFileSize(k: number): number {
  return 4 + 2 * 2 ** k * 64 + 2 * 128;
}

async function srsHeaderK(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 ? buffer.readUInt32LE(0) : -1;
  } finally {
    await handle.close();
  }
}

/** The recorded checksum of an SRS file: its `sha256sum`-style `.sha256` sidecar, if any. */
export async function recordedSrsChecksum(path: string): Promise<string | undefined> {
  return recordedChecksum(path);
}

/** The circuits the role serves, compiled to learn each one's k and model hash (no keys are built). */
async function plan(ctx: DoctorContext): Promise<NonNullable<DoctorContext['circuits']>> {
  if (ctx.circuits) return ctx.circuits;
  const all = await readMetadataDir(DEFAULT_METADATA_DIR);
  const wanted = ctx.target.circuits;
  const unknown = (wanted ?? []).filter((n) => !all.some((m) => m.name === n));
  if (unknown.length > 0) {
    throw new Error(`unknown circuit ${unknown.join(', ')} (known: ${all.map((m) => m.name).join(', ')})`);
  }
  const out: NonNullable<DoctorContext['circuits']> = [];
  for (const meta of all) {
    if (!meta.enabled || (wanted !== undefined && !wanted.includes(meta.name))) continue;
    const onnx = await readFile(meta.modelPath);
    if (sha256Hex(onnx) !== meta.model.sha256) {
      throw new Error(`${meta.name}: ${meta.modelPath} does not match the sha256 pinned in its metadata`);
    }
    const model = await compileModel(onnx, meta.compile);
    const settings = JSON.parse(model.settings.json) as { k: number; model_hash: string };
    out.push({ name: meta.name, k: settings.k, modelHash: settings.model_hash });
  }
  ctx.circuits = out;
  return out;
}

const PPOT =
  'the perpetual-powers-of-tau files in halo2 `ParamsKZG` raw layout (as PSE and EZKL distribute them), named kzg{k}.srs';

/**
 * For every circuit's k: a real `kzg{j}.srs` (j ≥ k) in `--srs.dir`, of the right size, whose points
 * validate, that is not the development SRS, and that matches its recorded checksum. On the local network
 * the development SRS stands in for a missing file; elsewhere that is a failure.
 */
export const srsCheck: Check<DoctorContext> = {
  id: 'srs',
  title: 'SRS files',
  async run(ctx) {
    const t = ctx.target;
    const circuits = await plan(ctx);
    const ks = [...new Set(circuits.map((c) => c.k))].sort((a, b) => a - b);
    const devAllowed = isDevelopmentNetwork(t);
    const tags = new Map<number, string>();
    ctx.srsTags = tags;
    const problems: CheckOutcome[] = [];
    const found: Record<string, unknown>[] = [];
    const lookIn = t.srsDir ? `--srs.dir ${t.srsDir}` : 'no --srs.dir given';
    for (const k of ks) {
      const file = t.srsDir ? await findSrsFile(t.srsDir, k) : undefined;
      if (!file) {
        if (devAllowed) {
          tags.set(k, developmentSrsTag(k));
          found.push({ k, file: null, insecure: true });
          continue;
        }
        problems.push(
          fail(
            `no kzg${k}.srs (or larger kzg{j}.srs) for k=${k} (${lookIn}); the development SRS is refused on ${t.network}`,
            `put ${PPOT}, for k=${ks.join(', ')}, into ${t.srsDir ?? 'a directory and pass --srs.dir DIR'}; then run omron-prover srs check DIR --record`,
          ),
        );
        continue;
      }
      const j = Number(/kzg(\d+)\.srs$/.exec(file)![1]);
      const size = (await stat(file)).size;
      const headerK = await srsHeaderK(file);
      if (headerK !== j || size !== srsFileSize(j)) {
        problems.push(
          fail(
            `${file}: ${headerK !== j ? `header says k=${headerK}` : `${size} bytes, expected ${srsFileSize(j)}`}`,
            'the file is truncated or not in the raw ParamsKZG layout: download it again',
          ),
        );
        continue;
      }
      const bytes = await readFile(file);
      const sha256 = sha256Hex(bytes);
      tags.set(k, srsFileTag(k, bytes));
      const srs = await readSrs(bytes).catch((e: Error) => e);
      if (srs instanceof Error) {
        problems.push(fail(`${file}: ${srs.message}`, 'the file is damaged: download it again'));
        continue;
      }
      if (srs.isInsecure && !devAllowed) {
        problems.push(
          fail(`${file} is the INSECURE development SRS (its secret is public)`, `replace it with ${PPOT}`),
        );
        continue;
      }
      const recorded = await recordedSrsChecksum(file);
      if (recorded !== undefined && recorded !== sha256) {
        problems.push(
          fail(
            `${file}: sha256 ${sha256} differs from the recorded ${recorded}`,
            'the file changed since it was checked: download it again, then omron-prover srs check DIR --record',
          ),
        );
        continue;
      }
      if (recorded === undefined) {
        problems.push(
          warn(
            `${file}: valid, but no recorded checksum (${file}.sha256)`,
            `omron-prover srs check ${t.srsDir} --record`,
          ),
        );
      }
      found.push({ k, file, sha256 });
    }
    const data = { ks, files: found };
    const failed = problems.find((p) => p.status === 'fail');
    if (failed) return { ...failed, data };
    const summary = found
      .map((f) =>
        f.file ? `k=${f.k}: ${f.file}` : `k=${f.k}: development SRS (INSECURE, local network only)`,
      )
      .join('; ');
    const warned = problems.find((p) => p.status === 'warn');
    return warned ? { ...warned, detail: `${summary}; ${warned.detail}`, data } : pass(summary, data);
  },
};

/**
 * The key cache holds intact keys for every circuit on the chosen SRS (or none yet: the first start
 * builds them). A file that fails its checksum means a damaged disk or a hand edit.
 */
export const keysCheck: Check<DoctorContext> = {
  id: 'keys',
  title: 'keys cache',
  async run(ctx) {
    const t = ctx.target;
    const circuits = await plan(ctx);
    const tags = ctx.srsTags;
    const corrupt: string[] = [];
    const missing: string[] = [];
    const ready: string[] = [];
    for (const c of circuits) {
      const tag = tags?.get(c.k);
      if (!tag) continue; // no usable SRS: reported by the SRS check
      const dir = keysDir(t.cacheDir, c.modelHash, tag);
      const files =
        t.keysRole === 'prover'
          ? [KEY_FILES.verifyingKey, KEY_FILES.provingKey, KEY_FILES.settings]
          : [KEY_FILES.verifyingKey, KEY_FILES.settings];
      const reads = await Promise.all(files.map((f) => readVerified(join(dir, f))));
      const bad = files.filter((_, i) => reads[i]!.status === 'corrupt').map((f) => join(dir, f));
      corrupt.push(...bad);
      if (bad.length > 0) continue;
      if (reads.some((r) => r.status === 'missing')) missing.push(c.name);
      else ready.push(c.name);
    }
    const devSrs = [...(tags?.entries() ?? [])].filter(([k, tag]) => tag === developmentSrsTag(k));
    for (const [k] of devSrs) {
      const path = developmentSrsPath(developmentSrsDir(t.cacheDir), k);
      if ((await readVerified(path)).status === 'corrupt') corrupt.push(path);
    }
    const data = { cacheDir: t.cacheDir, ready, missing, corrupt };
    if (corrupt.length > 0) {
      return fail(
        `${corrupt.length} cached file(s) fail their checksum: ${corrupt.join(', ')}`,
        `check the disk (dmesg, smartctl), then delete ${corrupt.length === 1 ? 'it' : 'them'}: the next start rebuilds the keys`,
        data,
      );
    }
    if (!tags || tags.size === 0) return { status: 'skip', detail: 'needs a usable SRS', data };
    const readyText = ready.length > 0 ? `${ready.join(', ')} ready` : 'no keys yet';
    if (missing.length > 0) {
      return pass(`${readyText}; ${missing.join(', ')} built at first start (one-off keygen)`, data);
    }
    return pass(`${readyText} in ${t.cacheDir}`, data);
  },
};
