// How the CLI reports: human lines or one JSON document on stdout, progress and errors on stderr, exit codes.
export class CliError extends Error {
  /** 1 a failure (server refused, validation failed), 2 a usage or configuration problem */
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly problem?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface Output {
  json: boolean;
  quiet: boolean;
  /** the result: printed as JSON with --json, else as the human text */
  result(value: unknown, human: string): void;
  /** progress and notes on stderr (never with --quiet) */
  note(line: string): void;
}

export function makeOutput(opts: { json?: boolean; quiet?: boolean }): Output {
  const json = !!opts.json;
  const quiet = !!opts.quiet;
  return {
    json,
    quiet,
    result(value, human) {
      process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : human.endsWith('\n') ? human : human + '\n');
    },
    note(line) {
      if (!quiet) process.stderr.write(line + '\n');
    },
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}
