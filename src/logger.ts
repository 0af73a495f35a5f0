import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import pino, { type DestinationStream, type Logger } from 'pino';
import { isErrorLike, safeError, withSafeErrors } from './log-errors.ts';

export type { Logger };

/**
 * Paths that may hold developer contact data or security answers. The code never logs
 * submissions on purpose; this is the net under that rule.
 */
const REDACT_PATHS = [
  'email',
  'phone',
  '*.email',
  '*.phone',
  '*.*.email',
  '*.*.phone',
  'contact',
  '*.contact',
  'impoc',
  '*.impoc',
  'securityAnswers',
  '*.securityAnswers',
  'submission',
  '*.submission',
  'body',
  '*.body',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'pii-review' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: safeError, error: safeError, cause: safeError },
      hooks: {
        // pino copies an error's message into `msg` when none is given, and serializers only see
        // known keys: every error anywhere in the call is made safe here, before either happens.
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          if (isErrorLike(first)) return method.apply(this, [{ err: safeError(first) }, ...(rest as [string])]);
          if (first && typeof first === 'object') {
            return method.apply(this, [withSafeErrors(first as Record<string, unknown>), ...(rest as [string])]);
          }
          return method.apply(this, args);
        },
      },
    },
    destination,
  );
}

const toPinoLevel: Record<LogLevel, pino.Level> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/** Keys of a Slack payload that name things (method, channel, ids) without carrying what was said. */
const SLACK_ID_KEYS = new Set([
  'method',
  'channel',
  'channel_id',
  'ts',
  'thread_ts',
  'message_ts',
  'user',
  'user_id',
  'team',
  'team_id',
  'view_id',
  'callback_id',
  'action_id',
  'block_id',
  'external_id',
  'file',
  'file_id',
  'id',
  'type',
  'command',
  'ok',
  'error',
]);
const SCALAR_ID = /^[\w.:/-]{1,80}$/;

/** The ids of a Slack payload (top level and one object down: `channel.id`, `user.id`, `view.id`). */
export function slackIds(payload: unknown, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return out;
  for (const [key, value] of Object.entries(payload)) {
    if (!SLACK_ID_KEYS.has(key) && depth === 0 && typeof value !== 'object') continue;
    if (typeof value === 'boolean' && SLACK_ID_KEYS.has(key)) out[key] = value;
    else if (typeof value === 'string' && SLACK_ID_KEYS.has(key) && SCALAR_ID.test(value)) out[key] = value;
    else if (depth === 0 && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const inner = slackIds(value, 1);
      if (Object.keys(inner).length) out[key] = inner;
    }
  }
  return out;
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * One argument of a Bolt or Web API log call, made safe: their debug lines embed whole request
 * and response bodies (`http request body: {…}`, the incoming payload as JSON) and errors as
 * text, out of reach of the redaction paths. Only a label and the ids survive.
 */
function safeSlackPart(part: unknown): { text?: string; ids?: Record<string, unknown> } {
  if (isErrorLike(part)) return { ids: { err: safeError(part) } };
  if (typeof part !== 'string') return { ids: slackIds(part) };
  const json = /^[[{]/.test(part) ? parsedJson(part) : undefined;
  if (json !== undefined) return { ids: slackIds(json) };
  const split = part.indexOf(': ');
  if (split < 0) return { text: part.length <= 200 ? part : `${part.slice(0, 60)}… [dropped]` };
  const head = part.slice(0, split);
  const tail = part.slice(split + 2).trim();
  if (/^https?:\/\/[^\s?#]+$/.test(tail) || SCALAR_ID.test(tail)) return { text: part };
  const tailJson = /^[[{]/.test(tail) ? parsedJson(tail) : undefined;
  if (tailJson !== undefined) return { text: head, ids: slackIds(tailJson) };
  return { text: `${head}: [dropped]` };
}

/** Bolt and the Web API client log through this, so every line stays structured JSON and never holds a body. */
export function slackLoggerFrom(logger: Logger, name = 'slack'): SlackLogger {
  let child = logger.child({ component: name });
  const write =
    (level: pino.Level) =>
    (...msg: unknown[]) => {
      // Bolt and the Web API log a debug line or two per request and call: below the level,
      // none of them is parsed for its ids.
      if (!child.isLevelEnabled(level)) return;
      const parts = msg.map(safeSlackPart);
      const ids = Object.assign({}, ...parts.map((p) => p.ids ?? {}));
      const text = parts.flatMap((p) => (p.text ? [p.text] : [])).join(' ');
      child[level](ids, text || 'slack');
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (level: LogLevel) => {
      child.level = toPinoLevel[level];
    },
    getLevel: () =>
      (Object.entries(toPinoLevel).find(([, v]) => v === child.level)?.[0] as LogLevel | undefined) ?? LogLevel.INFO,
    setName: (next: string) => {
      child = logger.child({ component: next });
    },
  };
}
