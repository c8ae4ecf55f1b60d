import { describe, expect, it } from 'vitest';
import { FLAGS } from './config.js';
import { usage } from './usage.js';

describe('usage', () => {
  it('lists every flag the config accepts', () => {
    const text = usage();
    for (const flag of FLAGS) expect(text).toContain(`--${flag} `);
    expect(text).toContain('--help');
  });
});
