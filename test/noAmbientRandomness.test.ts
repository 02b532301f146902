import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const LAYERS = ['model', 'sim', 'properties'];
const FORBIDDEN = /Math\.random|Date\.now|new Date\(|performance\.now/;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('deterministic layers', () => {
  it('read no clock and draw no unseeded randomness', () => {
    const offenders: string[] = [];
    for (const layer of LAYERS) {
      for (const file of sourceFiles(layer)) {
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, index) => {
            if (FORBIDDEN.test(line)) offenders.push(`${file}:${index + 1}: ${line.trim()}`);
          });
      }
    }
    // I/O timing of live requests is the one allowed exception (sim/http).
    expect(offenders.filter((offender) => !offender.startsWith(join('sim', 'http')))).toEqual([]);
  });
});
