import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The checker must replay identically: no clock or randomness of its own, only what is injected. */
describe('properties/linearizability', () => {
  it('reads no clock and draws no randomness', () => {
    const directory = import.meta.dirname;
    const forbidden = [/Date\.now/, /performance\.now/, /Math\.random/, /new Date\(/, /setTimeout|setInterval/];
    for (const name of readdirSync(directory).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))) {
      const text = readFileSync(join(directory, name), 'utf8');
      for (const pattern of forbidden) expect(text, `${name} uses ${pattern}`).not.toMatch(pattern);
    }
  });
});
