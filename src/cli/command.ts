/** What the command-line entries share: option parsing and the exit code. */

/** `--name value` options, each name possibly repeated; anything else is an error naming the known options. */
export function parseOptions(argv: readonly string[], known: readonly string[]): Map<string, string[]> {
  const options = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (!known.includes(name)) throw new Error(`unknown argument "${name}": use ${known.map((k) => `${k} VALUE`).join(', ')}`);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  return options;
}

/** The last value given for an option (a later flag overrides an earlier one). */
export function lastOption(options: Map<string, string[]>, name: string): string | undefined {
  return options.get(name)?.at(-1);
}

/** Runs a command's body: 0 when it returns, 1 with its message on stderr when it throws. */
export function exitCode(run: () => unknown): number {
  try {
    run();
    return 0;
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    return 1;
  }
}
