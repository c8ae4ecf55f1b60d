import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { recordChecksum, recordedChecksum, sha256Hex } from '../../checked-file.js';
import { ProverError } from '../../errors.js';
import { readBytes } from '../../files.js';
import { readSrs } from '../../srs.js';
import { EXIT, UsageError } from '../io.js';
import { COMMON_HELP } from '../options.js';
import { report, type Verb } from '../verb.js';

/** The verdict on one `kzg{k}.srs` file. */
export interface SrsFileReport {
  file: string;
  /** k from the file's header (-1 when unreadable). */
  k: number;
  size: number;
  sha256: string;
  /** `ok`: points valid, not the development SRS, matches its recorded checksum (if any). */
  status: 'ok' | 'invalid' | 'insecure' | 'changed';
  message: string;
  /** The checksum in `<file>.sha256`, when there is one. */
  recorded: string | null;
}

async function checkFile(path: string): Promise<SrsFileReport> {
  const bytes = await readBytes(path);
  const nameK = Number(/^kzg(\d+)\.srs$/.exec(basename(path))![1]);
  const k = bytes.length >= 4 ? Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32LE(0) : -1;
  const digest = sha256Hex(bytes);
  const recorded = (await recordedChecksum(path)) ?? null;
  const base = { file: path, k, size: bytes.length, sha256: digest, recorded };
  if (k !== nameK) {
    return { ...base, status: 'invalid', message: `named for k=${nameK} but its header says k=${k}` };
  }
  try {
    // The native reader checks the size, that every point is on the curve, and the Lagrange basis.
    const srs = await readSrs(bytes);
    if (srs.isInsecure) {
      return { ...base, status: 'insecure', message: 'the INSECURE development SRS (its secret is public)' };
    }
  } catch (error) {
    if (error instanceof ProverError && error.code === 'BAD_SRS') {
      return { ...base, status: 'invalid', message: error.message };
    }
    throw error;
  }
  if (recorded !== null && recorded !== digest) {
    return { ...base, status: 'changed', message: `sha256 differs from the recorded ${recorded}` };
  }
  return { ...base, status: 'ok', message: recorded === null ? 'valid (no recorded checksum)' : 'valid' };
}

export const srsVerb: Verb = {
  name: 'srs',
  summary: 'check real kzg{k}.srs files (srs check DIR)',
  help: `omron-prover srs check DIR [--record] [--json]

Checks every kzg{k}.srs in DIR (the perpetual-powers-of-tau files in halo2 ParamsKZG raw
layout, as PSE and EZKL distribute them, and as --srs.dir of the miner and validator expects):
prints each file's k, size and sha256, validates its points (on the curve, generator first,
consistent Lagrange basis), refuses the development SRS, and compares with the checksum
recorded in kzg{k}.srs.sha256. Exit 0 when every file is valid, 3 otherwise.

  --record              write kzg{k}.srs.sha256 for each valid file (what the doctor checks against)
${COMMON_HELP}`,
  async run(args, io) {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args,
        options: { json: { type: 'boolean' }, record: { type: 'boolean' }, help: { type: 'boolean' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const [action, dir, ...extra] = parsed.positionals;
    if (action !== 'check' || dir === undefined || extra.length > 0)
      throw new UsageError('usage: srs check DIR');
    const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      throw new ProverError('IO_ERROR', `cannot read ${dir}: ${error.code ?? error.message}`);
    });
    const files = names
      .filter((n) => /^kzg\d+\.srs$/.test(n))
      .sort((a, b) => Number(a.slice(3, -4)) - Number(b.slice(3, -4)));
    if (files.length === 0) {
      throw new ProverError('BAD_SRS', `no kzg{k}.srs file in ${dir}`);
    }
    const reports: SrsFileReport[] = [];
    for (const name of files) {
      const r = await checkFile(join(dir, name));
      if (parsed.values.record === true && r.status === 'ok' && r.recorded === null) {
        await recordChecksum(r.file, r.sha256);
        r.recorded = r.sha256;
        r.message = 'valid (checksum recorded)';
      }
      reports.push(r);
    }
    const ok = reports.every((r) => r.status === 'ok');
    const lines = reports.map(
      (r) =>
        `${r.status === 'ok' ? '✔' : '✘'} ${basename(r.file)}  k=${r.k}  ${r.size} bytes  sha256 ${r.sha256}  ${r.message}`,
    );
    report(io, parsed.values.json === true, { ok, files: reports }, lines.join('\n'));
    return ok ? EXIT.ok : EXIT.badInput;
  },
};
