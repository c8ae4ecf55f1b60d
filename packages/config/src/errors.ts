import { OmronError } from '@omron/core';

/** Stable codes of {@link ConfigError}. */
export type ConfigErrorCode =
  /** A value is missing, malformed or out of range, or options contradict each other; `issues` lists each. */
  | 'INVALID_CONFIG'
  /** A command-line argument is not a flag of the app's schema (a typo, or a positional argument). */
  | 'UNKNOWN_FLAG'
  /** The `--config` file cannot be read or is not JSON. */
  | 'CONFIG_FILE_UNREADABLE';

/** One problem, by the flag it concerns (without `--`), and where the value came from when it matters. */
export interface ConfigIssue {
  flag: string;
  message: string;
  /** `flag`, `env OMRON_X`, `file path`; absent for defaults and rules across options. */
  source?: string;
}

/**
 * Exit code of an app that stops on a {@link ConfigError}: 2, the shell convention for a usage error, so a
 * supervisor (pm2, systemd) or a script tells "fix the command line" (2) from "it crashed" (1).
 */
export const CONFIG_EXIT_CODE = 2;

/**
 * The configuration is unusable. The message lists every problem with its flag and never a secret's value;
 * there is no HTTP status: configuration errors stop a process before it serves anything.
 */
export class ConfigError extends OmronError<ConfigErrorCode> {
  override name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(
    code: ConfigErrorCode,
    message: string,
    options: { cause?: unknown; issues?: readonly ConfigIssue[] } = {},
  ) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.issues = options.issues ?? [];
  }
}

/** True when `err` is a {@link ConfigError}, optionally with the given code. */
export function isConfigError(err: unknown, code?: ConfigErrorCode): err is ConfigError {
  return err instanceof ConfigError && (code === undefined || err.code === code);
}
