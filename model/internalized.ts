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
  return Object.keys({ [text]: 0 })[0] ?? text;
}
