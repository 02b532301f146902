/**
 * A pure function of a key, remembered for recent keys in two generations
 * of at most `generationMax` each: a result found in the older generation
 * moves to the newer, and when the newer is full it becomes the older and
 * the oldest results are forgotten. For answers that recur across runs,
 * not only within one (requests and response bodies recur run after run,
 * since programs name entities by role): unlike `memoByIdentity`'s wiping,
 * a full memo keeps the recent half. Keys are held strongly (see
 * sim/memoByIdentity.ts for why not a weak map). Invisible to callers: a
 * forgotten result is computed again, and the function is pure; results
 * are shared, so read-only.
 */
export function recentByKey<K, V extends object | number | string | boolean | null>(compute: (key: K) => V, generationMax: number): (key: K) => V {
  if (!Number.isInteger(generationMax) || generationMax < 1) throw new Error(`generationMax must be a positive integer, got ${generationMax}`);
  let newer = new Map<K, V>();
  let older = new Map<K, V>();
  return (key) => {
    let result = newer.get(key);
    if (result !== undefined) return result;
    result = older.get(key) ?? compute(key);
    if (newer.size >= generationMax) {
      older = newer;
      newer = new Map();
    }
    newer.set(key, result);
    return result;
  };
}
