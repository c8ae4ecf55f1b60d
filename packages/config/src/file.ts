import { readFileSync } from 'node:fs';
import { closest } from './argv.js';
import { ConfigError, type ConfigIssue } from './errors.js';

/**
 * Flattens a settings object, nested (`{"wallet": {"name": "x"}}`) or with dotted keys (`{"wallet.name": "x"}`),
 * to canonical flag names. Unknown keys are issues (a typo in a file should not pass silently); `undefined`
 * values are skipped (code that builds a config may leave them).
 */
export function flattenSettings(
  input: unknown,
  index: Map<string, string>,
  source: string,
): { values: Map<string, unknown>; issues: ConfigIssue[]; aliasesUsed: [string, string][] } {
  const values = new Map<string, unknown>();
  const issues: ConfigIssue[] = [];
  const aliasesUsed: [string, string][] = [];
  const walk = (value: unknown, key: string) => {
    if (value === undefined) return;
    const flag = index.get(key);
    if (flag !== undefined) {
      if (flag !== key) aliasesUsed.push([key, flag]);
      values.set(flag, value);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, key === '' ? k : `${key}.${k}`);
    } else {
      const near = closest(key, [...index.keys()]);
      issues.push({
        flag: key,
        message: `not a setting${near ? ` (did you mean ${near}?)` : ''}`,
        source,
      });
    }
  };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    issues.push({ flag: '(config)', message: 'settings must be a JSON object', source });
  } else walk(input, '');
  return { values, issues, aliasesUsed };
}

/** Reads a JSON config file; `CONFIG_FILE_UNREADABLE` names the file and the reason. */
export function readConfigFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(
      'CONFIG_FILE_UNREADABLE',
      `cannot read config file ${path}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
