// The SQLSTATE of a failed query: node-postgres and PGlite put it on the error, drizzle's wrapper on its cause.
export function sqlStateOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}
