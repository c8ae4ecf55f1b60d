import { group, opt } from '@omron/config';
import type { DoctorContext, DoctorTarget } from './context.js';
import { type CheckResult, type DoctorReport, formatResult, formatSummary, runChecks } from './report.js';
import { CHECKS } from './roles.js';

/** Runs the role's checks against `target` and closes what they opened (the chain connection). */
export async function diagnose(
  target: DoctorTarget,
  onResult?: (result: CheckResult) => void,
): Promise<DoctorReport> {
  const ctx: DoctorContext = { target, closers: [] };
  try {
    return await runChecks(
      target.role,
      [...CHECKS[target.role], ...(target.extraChecks ?? [])],
      ctx,
      onResult,
    );
  } finally {
    for (const close of ctx.closers.reverse()) await close().catch(() => undefined);
  }
}

/**
 * The doctor's own flags, added to the app's loader (`minerConfigLoader.extend({ schema: DOCTOR_OPTIONS })`) so
 * `doctor` takes the flags of start plus these, with one parser and one `--help`.
 */
export const DOCTOR_OPTIONS = group('Doctor', {
  json: opt.boolean({ help: 'one JSON report on stdout instead of text lines' }),
  timeout_ms: opt.int({ help: 'budget per network operation', min: 1, max: 600_000, default: 10_000 }),
});

/** @deprecated for an app without a config loader: the doctor's flags, taken out before the rest. */
export interface DoctorFlags {
  json: boolean;
  timeoutMs: number;
  rest: string[];
}

/** @deprecated `DOCTOR_OPTIONS` in the app's loader generates this in its `--help`. */
export const DOCTOR_USAGE = `Doctor flags (with the same flags as start):
  --json                     one JSON report on stdout instead of text lines
  --timeout_ms N             budget per network operation (default 10000)
`;

/** @deprecated use `DOCTOR_OPTIONS` in the app's config loader. */
export function parseDoctorFlags(argv: readonly string[]): DoctorFlags {
  const rest: string[] = [];
  let json = false;
  let timeoutMs = 10_000;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (arg === '--json') json = true;
    else if (arg === '--timeout_ms' || arg.startsWith('--timeout_ms=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      timeoutMs = Number(value);
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
        throw new Error(`--timeout_ms needs a positive integer, got ${value}`);
      }
    } else rest.push(arg);
  }
  return { json, timeoutMs, rest };
}

/**
 * The `doctor` command of an app: text lines as each check finishes (or one JSON document with
 * `--json`), exit code 0 when nothing failed, 1 otherwise.
 */
export async function runDoctorCommand(
  target: DoctorTarget,
  json: boolean,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  // A worker has no subnet of its own: it proves whatever its miner queues.
  const where = target.role === 'worker' ? '' : `, netuid ${target.netuid}`;
  if (!json) out.write(`omron doctor: ${target.role} on ${target.network}${where}\n`);
  const report = await diagnose(target, json ? undefined : (r) => out.write(`${formatResult(r)}\n`));
  out.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatSummary(report)}\n`);
  return report.ok ? 0 : 1;
}
