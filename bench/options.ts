/** `--name value` from the command line as a number, or `fallback` when absent (the benches' options). */
export function numberOption(name: string, fallback: number, args: readonly string[] = process.argv.slice(2)): number {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
}
