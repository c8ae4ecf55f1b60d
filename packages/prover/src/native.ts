// The generated napi-rs loader is CommonJS; load it once, through this module only,
// so the addon is never loaded twice from two paths in one process.
import { createRequire } from 'node:module';
import type * as Binding from '../binding.cjs';

const require = createRequire(import.meta.url);

export const native: typeof Binding = require('../binding.cjs');
