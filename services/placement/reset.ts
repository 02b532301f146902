/** npm run placement:reset -- [--port 8778] [--state-dir DIR] */
import { exitWithFailure, parseCommandLine } from './command-line.ts';
import { defaultPort, resetPlacement } from './service.ts';

const usage = 'usage: npm run placement:reset -- [--port 8778] [--state-dir DIR]';

const commandLine = parseCommandLine(process.argv.slice(2), ['port', 'state-dir']);
if (!commandLine.ok) exitWithFailure(commandLine.failure, usage);
if (commandLine.value.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const reset = await resetPlacement(commandLine.value.stateDirectory ?? commandLine.value.port ?? defaultPort);
if (!reset.ok) exitWithFailure(reset.failure, usage);
process.stdout.write(`reset in ${reset.value.roundTripMs.toFixed(1)} ms (server side ${reset.value.serverMs.toFixed(1)} ms)\n`);
