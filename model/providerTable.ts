/**
 * The providers of a state: an array in creation order (the order the
 * database lists them in) and a uuid → position index.
 *
 * Providers are few and changed often (every allocation write bumps a
 * generation), created and deleted rarely. So a change copies the short
 * array and replaces one slot, and the index, the costly part, is shared
 * by every table until a provider is created or deleted. Neither array nor
 * index is ever modified once a table holds it. Reads look like a
 * ReadonlyMap's.
 */
import type { Provider } from './state.ts';

export class ProviderTable implements ReadonlyMap<string, Provider> {
  private static readonly EMPTY = new ProviderTable([], new Map());

  private declare readonly list: readonly Provider[];
  private declare readonly positions: ReadonlyMap<string, number>;

  /** Fields assigned here rather than as parameter properties: those compile to class fields, an initializer call per table. */
  private constructor(list: readonly Provider[], positions: ReadonlyMap<string, number>) {
    this.list = list;
    this.positions = positions;
  }

  static empty(): ProviderTable {
    return ProviderTable.EMPTY;
  }

  get size(): number {
    return this.list.length;
  }

  get(uuid: string): Provider | undefined {
    const position = this.positions.get(uuid);
    return position === undefined ? undefined : this.list[position];
  }

  has(uuid: string): boolean {
    return this.positions.has(uuid);
  }

  /** Where the provider sits in creation order, for `at` and `replacing`; `undefined` if absent. */
  positionOf(uuid: string): number | undefined {
    return this.positions.get(uuid);
  }

  at(position: number): Provider | undefined {
    return this.list[position];
  }

  /** The table with `provider` replacing the one with its uuid, or added last if there is none. */
  with(provider: Provider): ProviderTable {
    const position = this.positions.get(provider.uuid);
    if (position === undefined) {
      const positions = new Map(this.positions);
      positions.set(provider.uuid, this.list.length);
      return new ProviderTable([...this.list, provider], positions);
    }
    const list = this.list.slice();
    list[position] = provider;
    return new ProviderTable(list, this.positions);
  }

  /** The table with each of `providers` replacing the one with its uuid, or added last. */
  withAll(providers: Iterable<Provider>): ProviderTable {
    let table: ProviderTable = this;
    for (const provider of providers) table = table.with(provider);
    return table;
  }

  /**
   * A copy of the providers in creation order, to replace some of them in
   * place (at positions from `positionOf`) and make a table of with
   * `fromDraft`: one copy of the array however many change.
   */
  draft(): Provider[] {
    return this.list.slice();
  }

  /** The table of a draft from `draft` on this table; each provider must stay at its uuid's position. */
  fromDraft(draft: readonly Provider[]): ProviderTable {
    return new ProviderTable(draft, this.positions);
  }

  without(uuid: string): ProviderTable {
    if (!this.positions.has(uuid)) return this;
    const list = this.list.filter((provider) => provider.uuid !== uuid);
    return new ProviderTable(list, new Map(list.map((provider, index) => [provider.uuid, index])));
  }

  keys(): IterableIterator<string> {
    return this.list.map((provider) => provider.uuid).values();
  }

  values(): IterableIterator<Provider> {
    return this.list.values();
  }

  entries(): IterableIterator<[string, Provider]> {
    return this.list.map((provider): [string, Provider] => [provider.uuid, provider]).values();
  }

  [Symbol.iterator](): IterableIterator<[string, Provider]> {
    return this.entries();
  }

  forEach(callback: (provider: Provider, uuid: string, map: ReadonlyMap<string, Provider>) => void): void {
    for (const provider of this.list) callback(provider, provider.uuid, this);
  }
}
