/**
 * What of an error may reach a log line. A database error's message carries the failed query
 * and its parameters (Drizzle's `Failed query: … params: …`, pg's `detail` and `where`), i.e.
 * the submission being written; a message in general may quote any input. So only fields that
 * identify a failure without quoting data are kept: the class, the SQLSTATE code, the
 * constraint, table and column, Slack's error code, and the stack frames without the message.
 */
export type SafeError = {
  type: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  routine?: string;
  slackError?: string;
  statusCode?: number;
  stack?: string;
  cause?: SafeError;
};

const IDENT = /^[\w.:-]{1,120}$/;
const MAX_CAUSES = 5;

function identifier(value: unknown): string | undefined {
  return typeof value === 'string' && IDENT.test(value) ? value : undefined;
}

/** Stack frames only: the first lines of a stack repeat the message. */
function frames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const lines = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return lines.length ? lines.slice(0, 12).join('\n') : undefined;
}

export function isErrorLike(value: unknown): boolean {
  return value instanceof Error || (typeof value === 'object' && value !== null && 'stack' in value && 'message' in value);
}

/** Already made safe (the logMethod hook runs before pino's serializers, which see the result again). */
const made = new WeakSet<object>();

export function safeError(error: unknown, depth = 0): SafeError {
  if (typeof error !== 'object' || error === null) return { type: typeof error };
  if (made.has(error)) return error as SafeError;
  const e = error as Record<string, unknown>;
  const ctor = (error as { constructor?: { name?: string } }).constructor?.name;
  const name = identifier(e.name);
  const type = ctor && ctor !== 'Object' && ctor !== 'Error' ? ctor : (name ?? ctor ?? 'Error');
  const data = e.data as { error?: unknown } | undefined;
  const out: SafeError = { type };
  const fields: [keyof SafeError, string | undefined][] = [
    ['code', identifier(e.code)],
    ['constraint', identifier(e.constraint)],
    ['table', identifier(e.table)],
    ['column', identifier(e.column)],
    ['routine', identifier(e.routine)],
    ['slackError', identifier(data?.error)],
  ];
  for (const [key, value] of fields) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
  const stack = frames(e.stack);
  if (stack) out.stack = stack;
  if (e.cause !== undefined && depth < MAX_CAUSES) out.cause = safeError(e.cause, depth + 1);
  made.add(out);
  return out;
}

/** Every error value among a log object's own keys (and one level down) becomes a SafeError. */
export function withSafeErrors(object: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(object)) {
    let next: unknown = value;
    if (isErrorLike(value)) next = safeError(value);
    else if (Array.isArray(value) && value.some(isErrorLike)) next = value.map((v) => (isErrorLike(v) ? safeError(v) : v));
    if (next !== value) {
      copy ??= { ...object };
      copy[key] = next;
    }
  }
  return copy ?? object;
}
