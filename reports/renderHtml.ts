/**
 * A self-contained HTML page for a failure report: a timeline with one lane
 * per client, each request a bar from its start to its end, commit points
 * marked, the requests a violation involves highlighted, and the request and
 * response on hover. No scripts or external resources: it opens anywhere.
 */
import type { FailureReport, ReportOperation } from './failureReport.ts';

const LANE_HEIGHT = 44;
const BAR_HEIGHT = 22;
const LEFT_MARGIN = 110;
const WIDTH = 1100;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function laneName(client: number): string {
  if (client === -1) return 'setup';
  if (client === -2) return 'snapshot';
  return `client ${client}`;
}

function statusOf(operation: ReportOperation): string {
  return operation.completion.kind === 'response' ? String(operation.completion.response.status) : 'unknown';
}

function hoverText(operation: ReportOperation): string {
  const response = operation.completion.kind === 'response' ? `${operation.completion.response.status}\n${operation.completion.response.body}` : `unknown: ${operation.completion.reason}`;
  return `#${operation.id} ${operation.request.method} ${operation.request.path}\n${operation.request.body ?? ''}\n→ ${response}`;
}

export function renderHtml(report: FailureReport, text: string): string {
  const operations = report.history;
  const end = Math.max(1, ...operations.map((operation) => operation.completedAt ?? operation.invokedAt + 1));
  const scale = (tick: number): number => LEFT_MARGIN + (tick / end) * (WIDTH - LEFT_MARGIN - 10);
  // Setup first, then the clients, then the snapshot reads.
  const order = (client: number): number => (client === -1 ? -1 : client === -2 ? Number.MAX_SAFE_INTEGER : client);
  const clients = [...new Set(operations.map((operation) => operation.client))].sort((left, right) => order(left) - order(right));
  const involved = new Set(report.violations.flatMap((violation) => violation.operations));
  const lanes: string[] = [];
  clients.forEach((client, laneIndex) => {
    const top = 10 + laneIndex * LANE_HEIGHT;
    const shapes: string[] = [`<text x="4" y="${top + BAR_HEIGHT / 2 + 5}" class="lane-name">${escape(laneName(client))}</text>`];
    for (const operation of operations.filter((candidate) => candidate.client === client)) {
      const from = scale(operation.invokedAt);
      const to = scale(operation.completedAt ?? end);
      const classes = ['request', involved.has(operation.id) ? 'violating' : '', operation.completion.kind === 'unknown' ? 'unknown' : ''].filter(Boolean).join(' ');
      shapes.push(
        `<g class="${classes}" data-operation="${operation.id}" data-status="${statusOf(operation)}"><title>${escape(hoverText(operation))}</title>` +
          `<rect x="${from.toFixed(1)}" y="${top}" width="${Math.max(2, to - from).toFixed(1)}" height="${BAR_HEIGHT}" rx="3"></rect>` +
          `<text x="${(from + 3).toFixed(1)}" y="${top + 15}">${escape(`${operation.request.method} ${statusOf(operation)}`)}</text></g>`,
      );
      for (const statement of operation.statements.filter((candidate) => candidate.label.startsWith('COMMIT'))) {
        const x = scale(statement.tick).toFixed(1);
        shapes.push(`<line class="commit" data-operation="${operation.id}" x1="${x}" x2="${x}" y1="${top - 3}" y2="${top + BAR_HEIGHT + 3}"><title>${escape(`${statement.label} at t${statement.tick}`)}</title></line>`);
      }
    }
    lanes.push(`<g class="lane" data-client="${client}">${shapes.join('')}</g>`);
  });
  const height = 20 + clients.length * LANE_HEIGHT;
  const title = report.violations[0] === undefined ? 'placement-sim report' : `${report.violations[0].invariant}: ${report.violations[0].summary}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>
body { font-family: sans-serif; margin: 1.5em; color: #222; }
svg { border: 1px solid #ccc; background: #fafafa; }
.request rect { fill: #9ecae1; stroke: #3182bd; }
.request.violating rect { fill: #fb6a4a; stroke: #a50f15; stroke-width: 2; }
.request.unknown rect { fill: #ddd; stroke: #888; stroke-dasharray: 3 2; }
.request text { font-size: 10px; pointer-events: none; }
.commit { stroke: #31a354; stroke-width: 2; }
.lane-name { font-size: 12px; font-weight: bold; }
pre { background: #f4f4f4; padding: 1em; overflow-x: auto; font-size: 12px; }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p>One lane per client; bars run from a request's start to its end (logical steps); green marks are commits; red bars are the requests the violation involves. Hover for request and response.</p>
<svg id="timeline" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" xmlns="http://www.w3.org/2000/svg">${lanes.join('')}</svg>
<h2>Report</h2>
<pre>${escape(text)}</pre>
</body>
</html>
`;
}
