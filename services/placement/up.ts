/** npm run placement:up -- [--port 8778] [--db sqlite|mariadb|postgresql] [--workers 4] [--state-dir DIR] [--listen 1024] [--request-log] */
import { exitWithFailure, parseCommandLine, progress } from './command-line.ts';
import { startPlacement } from './service.ts';

const usage =
  'usage: npm run placement:up -- [--port 8778] [--db sqlite|mariadb|postgresql] [--workers 4] [--state-dir DIR] [--listen 1024] [--request-log]';

const commandLine = parseCommandLine(process.argv.slice(2), ['port', 'db', 'workers', 'state-dir', 'listen', 'request-log']);
if (!commandLine.ok) exitWithFailure(commandLine.failure, usage);
if (commandLine.value.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const startedAt = performance.now();
const { help: _help, ...options } = commandLine.value;
const service = await startPlacement({ ...options, log: progress });
if (!service.ok) exitWithFailure(service.failure, usage);
const pids = service.value.processes.map((record) => `${record.role} ${record.pid}`).join(', ');
progress(`ready in ${Math.round(performance.now() - startedAt)} ms (${service.value.database}, ${pids}); state in ${service.value.stateDirectory}`);
process.stdout.write(`${service.value.url}\n`);
