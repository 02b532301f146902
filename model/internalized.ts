/**
 * The same text as the engine's single shared copy of it (the copy property
 * names use). Two such copies are equal exactly when they are the same
 * object, so comparing them is a pointer comparison, where comparing
 * ordinary strings of equal length walks their characters (uuids share
 * long prefixes, so that walk is long). Keys the model compares often
 * (provider uuids, consumer uuids) are stored this way. No other effect:
 * the text is unchanged.
 */
export function internalized(text: string): string {
  const known = copies.get(text);
  if (known !== undefined) return known;
  // A property name is always the engine's copy: set on a dictionary object, read back, removed.
  // (A fresh literal with the text as its key, `{ [text]: 0 }`, gave the same copy but made the
  // engine create a hidden class per text, which cost about three times as much.)
  scratch[text] = 0;
  let copy = text;
  for (const name in scratch) copy = name;
  delete scratch[text];
  if (copies.size >= COPIES_MAX) copies.clear();
  copies.set(copy, copy);
  return copy;
}

/**
 * Copies already made: finding one in a map costs less than the object and
 * key list that make a copy. Any copy found is the engine's one copy, so
 * wiping when full (to stay bounded) changes nothing but speed. Most texts
 * are one run's uuids, so the bound is a few dozen runs' worth: more only
 * keeps dead runs' strings for the collector to trace.
 */
const copies = new Map<string, string>();
/** Empty between calls. Made without a prototype, which puts it in the engine's dictionary mode from the start. */
const scratch: Record<string, number> = Object.create(null) as Record<string, number>;
const COPIES_MAX = 1_024;
