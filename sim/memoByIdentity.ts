/**
 * A pure function of an object, computed once per object: several readers
 * of one run (the client's knowledge, the invariants, the checker) ask the
 * same question of the same response, request or run. Keys are held weakly,
 * so the memo lives exactly as long as what it describes. Callers must treat
 * the results as read-only, since every caller gets the same one.
 */
export function memoByIdentity<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const results = new WeakMap<K, V>();
  return (key) => {
    if (results.has(key)) return results.get(key) as V;
    const result = compute(key);
    results.set(key, result);
    return result;
  };
}
