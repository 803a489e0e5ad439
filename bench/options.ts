/** `--name value` from the command line as a number, or `fallback` when absent (the benches' options). */
export function numberOption(name: string, fallback: number, args: readonly string[] = process.argv.slice(2)): number {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
}

/** `--name value` from the command line as a string, or `fallback` when absent. */
export function stringOption(name: string, fallback: string, args: readonly string[] = process.argv.slice(2)): string {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
}
