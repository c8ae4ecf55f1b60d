import { validatorConfigLoader } from './config.js';

/** The `--help` text, generated from the schema: every flag by group, with its default and env vars. */
export function usage(): string {
  return validatorConfigLoader.usage();
}
