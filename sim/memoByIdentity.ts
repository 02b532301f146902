/**
 * A pure function of an object, remembered for the most recent objects it
 * was asked about: several readers of one run (the client's knowledge, the
 * invariants, the checker) ask the same question of the same response,
 * operation or run, one run after another. Callers must treat the results
 * as read-only, since every caller gets the same one.
 *
 * Keys are held strongly, at most `recentMax` of them, and the memo forgets
 * them all when it is full. It is not a weak map on purpose: V8's young
 * generation collector (the scavenger that frees a run's short-lived
 * objects) treats every weak map entry as live, so a weak memo kept each
 * run's requests, responses and history alive until the next full
 * collection, and every scavenge copied them into the old generation
 * first. Forgetting is invisible to callers: a forgotten result is computed
 * again, and the function is pure.
 */
export function memoByIdentity<K extends object, V>(compute: (key: K) => V, recentMax: number): (key: K) => V {
  if (!Number.isInteger(recentMax) || recentMax < 1) throw new Error(`recentMax must be a positive integer, got ${recentMax}`);
  let results = new Map<K, V>();
  // The last answer, in front of the map: most callers ask about one object several times in a row.
  let lastKey: K | null = null;
  let lastResult: V | undefined;
  return (key) => {
    if (key === lastKey) return lastResult as V;
    let result: V;
    if (results.has(key)) {
      result = results.get(key) as V;
    } else {
      result = compute(key);
      if (results.size >= recentMax) results = new Map();
      results.set(key, result);
    }
    lastKey = key;
    lastResult = result;
    return result;
  };
}
