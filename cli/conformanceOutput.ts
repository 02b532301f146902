/**
 * What `npm run conformance` prints: the summary table and a mismatch's
 * requests with both responses side by side.
 */
import Table from 'cli-table3';
import type { ConformanceStatistics } from '../properties/conformance/checkConformance.ts';
import type { ComparedStep } from '../properties/conformance/runSequence.ts';
import type { Finding } from '../properties/findings.ts';

export interface RunTiming {
  readonly wallNs: number;
}

export function summaryTable(statistics: ConformanceStatistics, unexplained: number, inconclusive: number, timing: RunTiming): string {
  const table = new Table({ head: ['', 'count'], style: { head: [], border: [] } });
  const seconds = timing.wallNs / 1e9;
  table.push(
    ['requests sent to the real service', statistics.requestsSent],
    ['sequences (each from an empty service)', statistics.sequences],
    ['requests matched', statistics.requestsMatched],
  );
  const explainedNames = Object.keys(statistics.explained).sort();
  if (explainedNames.length === 0) table.push(['explained by findings', 0]);
  for (const name of explainedNames) table.push([`explained: ${name} (sequences)`, statistics.explained[name] ?? 0]);
  table.push(
    ['requests not compared (after an explained difference)', statistics.requestsNotCompared],
    ['unexplained mismatches', unexplained],
    ['inconclusive (no response)', inconclusive],
    ['requests per second', seconds > 0 ? Math.round(statistics.requestsSent / seconds) : 0],
    ['time waiting for the service', `${percent(statistics.serviceWaitNs, timing.wallNs)} of ${seconds.toFixed(1)} s`],
  );
  return table.toString();
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : 'n/a';
}

function clip(text: string, length: number): string {
  const single = text.replace(/\s+/g, ' ');
  return single.length <= length ? single : `${single.slice(0, length - 1)}…`;
}

function requestLine(step: ComparedStep): string {
  const version = step.request.headers['openstack-api-version'] ?? '(no version)';
  const body = step.request.body === null ? '' : ` ${step.request.body}`;
  return `${step.index}. ${step.request.method} ${step.request.path} [${version}]${body}`;
}

function responseLine(status: number, body: string): string {
  return `${status} ${body}`;
}

/** The steps of a sequence, each request followed by the model's and the service's answers. */
export function renderSteps(steps: readonly ComparedStep[], width = 160): string {
  const lines: string[] = [];
  for (const step of steps) {
    lines.push(clip(requestLine(step), width));
    const model = responseLine(step.model.status, step.model.body);
    const real = step.real.kind === 'response' ? responseLine(step.real.response.status, step.real.response.body) : `no response: ${step.real.reason}`;
    if (step.differences.length === 0) {
      lines.push(`   both:  ${clip(model, width - 10)}`);
      continue;
    }
    lines.push(`   model: ${clip(model, width - 10)}`, `   real:  ${clip(real, width - 10)}`);
    for (const difference of step.differences) {
      lines.push(`   differs at ${difference.where}:`, `     model: ${clip(difference.model, width - 12)}`, `     real:  ${clip(difference.real, width - 12)}`);
    }
  }
  return lines.join('\n');
}

export function findingsTable(findings: readonly Finding[]): string {
  const table = new Table({ head: ['finding', 'kind', 'databases', 'what it is'], wordWrap: true, colWidths: [40, 20, 24, 80], style: { head: [], border: [] } });
  for (const finding of findings) table.push([finding.name, finding.kind, finding.databases.join(', '), finding.summary]);
  return table.toString();
}
