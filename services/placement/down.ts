/** npm run placement:down -- [--port 8778] [--state-dir DIR] */
import { exitWithFailure, parseCommandLine, progress } from './command-line.ts';
import { defaultPort, stopPlacement } from './service.ts';

const usage = 'usage: npm run placement:down -- [--port 8778] [--state-dir DIR]';

const commandLine = parseCommandLine(process.argv.slice(2), ['port', 'state-dir']);
if (!commandLine.ok) exitWithFailure(commandLine.failure, usage);
if (commandLine.value.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const stopped = await stopPlacement(commandLine.value.stateDirectory ?? commandLine.value.port ?? defaultPort);
if (!stopped.ok) exitWithFailure(stopped.failure, usage);
if (stopped.value.length === 0) progress('nothing recorded as running');
for (const entry of stopped.value) {
  progress(entry.outcome === 'not running' ? `${entry.role} (pid ${entry.pid}) was not running` : `stopped ${entry.role} (pid ${entry.pid}) with ${entry.outcome}`);
}
