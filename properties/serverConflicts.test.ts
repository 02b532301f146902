import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addUuidsIn } from './serverConflicts.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

function scanned(text: string): string[] {
  const named = new Set<string>();
  addUuidsIn(text, named);
  return [...named];
}

function matched(text: string): string[] {
  return [...new Set(text.match(UUID) ?? [])];
}

describe('addUuidsIn', () => {
  it('finds what the regular expression finds, in its order', () => {
    const pieces = fc.constantFrom(
      '0d2507e2-7111-4cbf-865b-dc48c4dcb044',
      '7d6cedf3-f743-4bb0-8c1a-f5c2b0798e78',
      '00000000-0000-0000-0000-000000000000',
      '0D2507E2-7111-4CBF-865B-DC48C4DCB044',
      '-',
      'a',
      'f',
      'g',
      '0',
      '"',
      '{"allocations": {"',
      '/resource_providers/',
      'abcdef01-',
      '1234-',
      '-abcd',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 24 }), (parts) => {
        const text = parts.join('');
        expect(scanned(text)).toEqual(matched(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads overlapping candidates as the regular expression does', () => {
    for (const text of [
      '',
      '0d2507e2-7111-4cbf-865b-dc48c4dcb044',
      '0d2507e2-7111-4cbf-865b-dc48c4dcb0440d2507e2-7111-4cbf-865b-dc48c4dcb044',
      'aaaaaaaaa-7111-4cbf-865b-dc48c4dcb044-4cbf-865b-dc48c4dcb044',
      '0d2507e2-0d2507e2-7111-4cbf-865b-dc48c4dcb044',
      '/allocations/7d6cedf3-f743-4bb0-8c1a-f5c2b0798e78?x=0d2507e2-7111-4cbf-865b-dc48c4dcb04',
    ]) {
      expect(scanned(text)).toEqual(matched(text));
    }
  });
});
