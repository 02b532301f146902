/**
 * The plain-text rendering of a failure report: what happened, step by
 * step per client and interleaved, the capacity table at the end of the run,
 * and the explanation of each violation.
 */
import Table from 'cli-table3';
import type { FailureReport, ReportOperation } from './failureReport.ts';

function describeRequest(operation: ReportOperation): string {
  const { request } = operation;
  const short = (text: string): string => text.replace(/([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '$1…');
  let body = '';
  if (request.body !== null && request.body !== '') {
    try {
      body = ` ${short(JSON.stringify(JSON.parse(request.body)))}`;
    } catch {
      body = ` ${short(request.body)}`;
    }
  }
  return `${request.method} ${short(request.path)}${body.length > 220 ? `${body.slice(0, 220)}…` : body}`;
}

function describeOutcome(operation: ReportOperation): string {
  if (operation.completion.kind === 'unknown') return `unknown (${operation.completion.reason})`;
  const { response } = operation.completion;
  if (response.status < 400) return String(response.status);
  const detail = /"detail": "([^"]*)"/.exec(response.body)?.[1]?.split('\\n\\n ')[1]?.trim() ?? '';
  return `${response.status} ${detail.slice(0, 160)}`;
}

function clientName(client: number): string {
  if (client === -1) return 'setup';
  if (client === -2) return 'snapshot';
  return `client ${client}`;
}

export function renderText(report: FailureReport, reportPath: string): string {
  const lines: string[] = [];
  const first = report.violations[0];
  lines.push(`Violation: ${first === undefined ? 'none' : `${first.invariant}: ${first.summary}`}`);
  const defects = report.target.defects.length === 0 ? 'none' : report.target.defects.join(', ');
  lines.push(`Target: in-process, profile ${report.target.profile}, isolation ${report.target.isolation}, defects ${defects}`);
  lines.push(`Seed: ${report.seed}${report.shrunk === null ? '' : ` (shrunk in ${report.shrunk.attempts} runs: clients ${report.shrunk.before[0]} -> ${report.shrunk.after[0]}, requests ${report.shrunk.before[1]} -> ${report.shrunk.after[1]})`}`);
  if (report.faults.length > 0) lines.push(`Faults injected: ${report.faults.map((fault) => `${fault.kind} at t${fault.tick} in #${fault.operation} (${fault.statement})`).join('; ')}`);
  lines.push('');
  const involved = new Set(report.violations.flatMap((violation) => violation.operations));
  const order = (client: number): number => (client === -1 ? -1 : client === -2 ? Number.MAX_SAFE_INTEGER : client);
  const clients = [...new Set(report.history.map((operation) => operation.client))].sort((left, right) => order(left) - order(right));
  lines.push('What happened, per client (times are logical steps):');
  for (const client of clients) {
    lines.push(`  ${clientName(client)}`);
    report.history
      .filter((operation) => operation.client === client)
      .forEach((operation, index) => {
        const mark = involved.has(operation.id) ? '  <-- involved' : '';
        lines.push(`    ${index + 1}. #${operation.id} [t${operation.invokedAt}-t${operation.completedAt ?? '?'}] ${describeRequest(operation)}`);
        lines.push(`       -> ${describeOutcome(operation)}${mark}`);
      });
  }
  lines.push('');
  // Each statement's line is made once, next to its tick, and the pairs sorted
  // (stably, so statements of one tick keep history order).
  const statements: { readonly tick: number; readonly line: string }[] = [];
  for (const operation of report.history) {
    if (operation.client < 0) continue;
    const prefix = `  ${clientName(operation.client).padEnd(9)} #${operation.id} `;
    for (const statement of operation.statements) statements.push({ tick: statement.tick, line: `  t${String(statement.tick).padStart(4)}${prefix}${statement.label}` });
  }
  statements.sort((left, right) => left.tick - right.tick);
  if (statements.length > 0) {
    lines.push('Interleaving of the clients\' database statements:');
    for (const statement of statements) lines.push(statement.line);
    lines.push('');
  }
  lines.push('Capacity at the end of the run:');
  lines.push(renderCapacityTable(report));
  lines.push('');
  for (const violation of report.violations) {
    lines.push(`${violation.invariant}: ${violation.summary}`);
    for (const line of violation.explanation) lines.push(`  ${line}`);
    lines.push('');
  }
  lines.push(`Replay: npm run replay -- ${reportPath}`);
  return lines.join('\n');
}

interface CapacityRow {
  readonly provider: string;
  readonly resourceClass: string;
  readonly total: number;
  readonly reserved: number;
  readonly ratio: number;
  readonly used: number;
}

function capacityRows(report: FailureReport): CapacityRow[] {
  const rows: CapacityRow[] = [];
  for (const operation of report.history) {
    if (operation.client !== -2 || !operation.request.path.endsWith('/inventories') || operation.completion.kind !== 'response') continue;
    const provider = operation.request.path.split('/')[2] ?? '';
    const usagesOperation = report.history.find((candidate) => candidate.client === -2 && candidate.request.path === `/resource_providers/${provider}/usages`);
    let usages: Record<string, number> = {};
    let inventories: Record<string, Record<string, number>> = {};
    try {
      inventories = (JSON.parse(operation.completion.response.body) as { inventories?: Record<string, Record<string, number>> }).inventories ?? {};
      if (usagesOperation?.completion.kind === 'response') usages = (JSON.parse(usagesOperation.completion.response.body) as { usages?: Record<string, number> }).usages ?? {};
    } catch {
      continue;
    }
    for (const [resourceClass, inventory] of Object.entries(inventories)) {
      rows.push({
        provider,
        resourceClass,
        total: inventory['total'] ?? 0,
        reserved: inventory['reserved'] ?? 0,
        ratio: inventory['allocation_ratio'] ?? 1,
        used: usages[resourceClass] ?? 0,
      });
    }
  }
  return rows;
}

export function renderCapacityTable(report: FailureReport): string {
  const table = new Table({ head: ['provider', 'class', 'total', 'reserved', 'ratio', 'capacity', 'used', ''], style: { head: [], border: [] } });
  for (const row of capacityRows(report)) {
    const capacity = (row.total - row.reserved) * row.ratio;
    table.push([row.provider, row.resourceClass, row.total, row.reserved, row.ratio, capacity, row.used, row.used > capacity ? 'OVER' : '']);
  }
  return table.toString();
}
