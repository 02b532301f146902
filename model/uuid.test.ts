import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCanonicalUuid, isLowerCaseCanonicalUuid, normalizeUuid } from './uuid.ts';

const CANONICAL = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const LOWER_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Strings near a uuid: its characters, a few others, often 36 long with dashes in place. */
const nearUuid = fc.oneof(
  fc.uuid(),
  fc.uuid().map((uuid) => uuid.toUpperCase()),
  fc.stringMatching(/^[0-9a-fA-FgG-]{36}$/),
  fc.array(fc.constantFrom('0', '9', 'a', 'f', 'A', 'F', 'g', '-', '/', ':', '\n', 'é'), { minLength: 36, maxLength: 36 }).map((characters) => {
    const text = characters.join('');
    return `${text.slice(0, 8)}-${text.slice(9, 13)}-${text.slice(14, 18)}-${text.slice(19, 23)}-${text.slice(24, 36)}`;
  }),
  fc.string({ maxLength: 40 }),
);

describe('uuid spellings', () => {
  it('recognises the canonical forms exactly as the patterns do', () => {
    fc.assert(
      fc.property(nearUuid, (text) => {
        expect(isCanonicalUuid(text)).toBe(CANONICAL.test(text));
        expect(isLowerCaseCanonicalUuid(text)).toBe(LOWER_CASE.test(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves a lower-case canonical uuid unchanged and lower-cases an upper-case one', () => {
    const uuid = 'aaaaaaaa-0000-4000-8000-00000000000f';
    expect(normalizeUuid(uuid)).toBe(uuid);
    expect(normalizeUuid(uuid.toUpperCase())).toBe(uuid);
  });
});
