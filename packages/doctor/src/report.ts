/**
 * The doctor's vocabulary: a check, its outcome, and the report of a run. No I/O here.
 *
 * Statuses: `pass` ✔, `fail` ✘ (the process would not work, or would lose money: exit code 1),
 * `warn` ! (works, but look at it), `skip` – (not applicable, or an earlier check it depends on failed).
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckOutcome {
  status: CheckStatus;
  /** One line: what was found. Never holds a secret. */
  detail: string;
  /** One line: what to do about it (for `fail` and `warn`). */
  fix?: string;
  /** Machine-readable facts for `--json` (versions, ports, checksums…). */
  data?: Record<string, unknown>;
}

export interface CheckResult extends CheckOutcome {
  id: string;
  title: string;
  /** Wall time of the check. */
  ms: number;
}

/** One check; `run` reads and extends the shared context (e.g. `chain` writes `ctx.chain` for later checks). */
export interface Check<Ctx> {
  id: string;
  title: string;
  run(ctx: Ctx): Promise<CheckOutcome>;
}

export interface DoctorReport {
  role: string;
  /** False iff some check failed. */
  ok: boolean;
  checks: CheckResult[];
}

export const pass = (detail: string, data?: Record<string, unknown>): CheckOutcome =>
  data ? { status: 'pass', detail, data } : { status: 'pass', detail };
export const fail = (detail: string, fix: string, data?: Record<string, unknown>): CheckOutcome =>
  data ? { status: 'fail', detail, fix, data } : { status: 'fail', detail, fix };
export const warn = (detail: string, fix: string, data?: Record<string, unknown>): CheckOutcome =>
  data ? { status: 'warn', detail, fix, data } : { status: 'warn', detail, fix };
export const skip = (detail: string): CheckOutcome => ({ status: 'skip', detail });

/**
 * Runs `checks` in order. A check that throws is a failure of that check (its message is the detail),
 * never the end of the run: an operator wants the whole list at once.
 */
export async function runChecks<Ctx>(
  role: string,
  checks: readonly Check<Ctx>[],
  ctx: Ctx,
  onResult?: (result: CheckResult) => void,
): Promise<DoctorReport> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const started = performance.now();
    let outcome: CheckOutcome;
    try {
      outcome = await check.run(ctx);
    } catch (err) {
      const code = (err as { code?: unknown })?.code;
      const message = err instanceof Error ? err.message : String(err);
      outcome = fail(
        `${typeof code === 'string' ? `${code}: ` : ''}${message}`,
        'unexpected error in this check; run with --json for details and report it',
      );
    }
    const result: CheckResult = {
      id: check.id,
      title: check.title,
      ...outcome,
      ms: Math.round(performance.now() - started),
    };
    results.push(result);
    onResult?.(result);
  }
  return { role, ok: results.every((r) => r.status !== 'fail'), checks: results };
}

const MARK: Record<CheckStatus, string> = { pass: '✔', fail: '✘', warn: '!', skip: '–' };

/** One result as the text lines the terminal shows: `✔ title: detail`, then `  fix: …` when there is one. */
export function formatResult(result: CheckResult): string {
  const head = `${MARK[result.status]} ${result.title}: ${result.detail}`;
  return result.fix && result.status !== 'pass' ? `${head}\n    fix: ${result.fix}` : head;
}

/** The closing line of a text report. */
export function formatSummary(report: DoctorReport): string {
  const count = (s: CheckStatus) => report.checks.filter((c) => c.status === s).length;
  const failed = count('fail');
  const tail = `${count('pass')} passed, ${failed} failed, ${count('warn')} warnings, ${count('skip')} skipped`;
  return failed === 0
    ? `${report.role} is ready to start (${tail})`
    : `${report.role} is NOT ready (${tail})`;
}
