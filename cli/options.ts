/**
 * Command-line options for the CLIs: node's own `parseArgs`, plus typed
 * values and the project's exit-code convention (2 for usage errors).
 */
import { parseArgs } from 'node:util';

export type OptionKind = 'integer' | 'string' | 'boolean' | 'strings';

type ValueOf<K extends OptionKind> = K extends 'integer' ? number : K extends 'boolean' ? boolean : K extends 'strings' ? string[] : string;

export type OptionValues<S extends Record<string, OptionKind>> = { -readonly [N in keyof S]?: ValueOf<S[N]> };

export type ParsedOptions<S extends Record<string, OptionKind>> =
  | { readonly kind: 'ok'; readonly values: OptionValues<S>; readonly positionals: readonly string[] }
  | { readonly kind: 'error'; readonly message: string };

export function parseOptions<S extends Record<string, OptionKind>>(
  argv: readonly string[],
  spec: S,
  usage: string,
  allowPositionals = false,
): ParsedOptions<S> {
  const nodeSpec: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [name, kind] of Object.entries(spec)) {
    nodeSpec[name] = kind === 'boolean' ? { type: 'boolean' } : kind === 'strings' ? { type: 'string', multiple: true } : { type: 'string' };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: nodeSpec, strict: true, allowPositionals }) as typeof parsed;
  } catch (failure) {
    return { kind: 'error', message: `${failure instanceof Error ? failure.message : String(failure)}\n${usage}` };
  }
  const values: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(spec)) {
    const raw = parsed.values[name];
    if (raw === undefined) continue;
    if (kind === 'integer') {
      const text = String(raw);
      if (!/^-?\d+$/.test(text)) return { kind: 'error', message: `--${name} expects an integer, got '${text}'\n${usage}` };
      values[name] = Number.parseInt(text, 10);
    } else {
      values[name] = raw;
    }
  }
  return { kind: 'ok', values: values as OptionValues<S>, positionals: parsed.positionals };
}

export function usageError(message: string, usage: string): never {
  process.stderr.write(`${message.includes(usage) ? message : `${message}\n${usage}`}\n`);
  process.exit(2);
}

/**
 * Sets the exit code from an asynchronous command: its number when it ran,
 * 2 with the usage text when its setup was refused, and 2 with the stack when
 * it threw (an exception is a harness bug, so the stack is worth printing).
 */
export function settleExitCode(
  outcome: Promise<number | { readonly message: string }>,
  what: string,
  usage: string,
): void {
  outcome.then(
    (result) => {
      if (typeof result === 'number') {
        process.exitCode = result;
        return;
      }
      usageError(result.message, usage);
    },
    (failure: unknown) => {
      process.stderr.write(`${what} failed: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}\n`);
      process.exitCode = 2;
    },
  );
}
