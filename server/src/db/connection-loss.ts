// Recognises a lost or unreachable connection (to the database, or by errno to the blob store), so requests answer
// 503 (retry) instead of 500.

// Errors by code: socket errno and PostgreSQL SQLSTATE class 08 (connection) and 57P0x (shutdown).
const connectionCodes = new Set<unknown>([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** True for an error code that says a connection was refused, lost or could not be made: the one list of them. */
export function isConnectionCode(code: unknown): boolean {
  return connectionCodes.has(code);
}

// node-postgres and pg-pool raise connection loss as plain Errors with no code and no class of their own
// ("Connection terminated unexpectedly", "timeout exceeded when trying to connect", "… is not queryable");
// their messages are the only signal, so they are matched here and nowhere else.
const nodePostgresConnectionMessages = [
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
];

/** True when err (or what it wraps: drizzle's DrizzleQueryError keeps the driver's error as `cause`) is a lost connection. */
export function isDatabaseConnectionLoss(err: unknown): boolean {
  type Wrapped = { code?: unknown; message?: unknown; cause?: unknown };
  for (
    let e = err as Wrapped | null, depth = 0;
    e && typeof e === 'object' && depth < 4;
    e = e.cause as Wrapped, depth++
  ) {
    if (isConnectionCode(e.code)) return true;
    // a DatabaseError (the server answered) always has a code; only code-less errors can be the driver's own
    if (
      e.code === undefined &&
      typeof e.message === 'string' &&
      nodePostgresConnectionMessages.some((m) => m.test(e.message as string))
    )
      return true;
  }
  return false;
}
