/** Freezes a value and everything reachable from it, Maps and Sets included. */
export function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  // An already frozen value was frozen by an earlier call (or is immutable).
  if (value === null || typeof value !== 'object' || seen.has(value) || Object.isFrozen(value)) return value;
  seen.add(value);
  if (value instanceof Map) {
    for (const [key, item] of value) {
      deepFreeze(key, seen);
      deepFreeze(item, seen);
    }
    const frozen = value as Map<unknown, unknown>;
    frozen.set = () => {
      throw new TypeError('frozen Map');
    };
    frozen.delete = () => {
      throw new TypeError('frozen Map');
    };
    frozen.clear = () => {
      throw new TypeError('frozen Map');
    };
  }
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<string | symbol, unknown>)[key], seen);
  return Object.freeze(value);
}
