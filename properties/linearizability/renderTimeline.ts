/**
 * An ASCII timeline of operations, one row each, as Porcupine's README draws
 * them: where each was called (`|`), how long it ran (`=`), and whether it
 * returned (`|`) or its outcome is unknown (`>` running to the right edge).
 *
 *   #0 client 0  |==========|                     PUT /allocations/c1 -> 204
 *   #1 client 1    |=======|                      DELETE /allocations/c1 -> 204
 *   #2 client 0                  |==|             GET /allocations/c1 -> 200
 */
import type { Operation } from '../../sim/history.ts';

export function renderTimeline(operations: readonly Operation[], widthColumns = 48): string {
  if (operations.length === 0) return '';
  const times = operations.flatMap((operation) => [operation.invokedAt, ...(operation.completedAt === null ? [] : [operation.completedAt])]);
  const start = times.reduce((least, time) => Math.min(least, time), Number.POSITIVE_INFINITY);
  const end = times.reduce((most, time) => Math.max(most, time), Number.NEGATIVE_INFINITY);
  const span = end > start ? end - start : 1;
  const column = (time: number): number => Math.round(((time - start) / span) * (widthColumns - 1));
  const labels = operations.map((operation) => `#${operation.id} client ${operation.client}`);
  const labelWidth = labels.reduce((widest, label) => Math.max(widest, label.length), 0);
  return operations
    .map((operation, index) => {
      const cells: string[] = new Array<string>(widthColumns).fill(' ');
      const from = column(operation.invokedAt);
      const unknown = operation.completion.kind === 'unknown';
      const to = unknown || operation.completedAt === null ? widthColumns - 1 : Math.max(from, column(operation.completedAt));
      for (let cell = from; cell <= to; cell += 1) cells[cell] = '=';
      cells[from] = '|';
      cells[to] = unknown ? '>' : '|';
      return `${(labels[index] ?? '').padEnd(labelWidth)}  ${cells.join('')}  ${describeOperation(operation)}`;
    })
    .join('\n');
}

/** `METHOD path -> status`, or `-> ?` for an unknown outcome. */
export function describeOperation(operation: Operation): string {
  const completion = operation.completion;
  const outcome = completion.kind === 'response' ? String(completion.response.status) : `? (${completion.reason})`;
  return `${operation.request.method} ${operation.request.path} -> ${outcome}`;
}
