#!/usr/bin/env node
// The package ships its TypeScript sources; tsx loads them.
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
