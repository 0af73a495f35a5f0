import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import pino, { type DestinationStream, type Logger } from 'pino';

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

/** Bolt and the Web API client log through this, so every line stays structured JSON. */
export function slackLoggerFrom(logger: Logger, name = 'slack'): SlackLogger {
  let child = logger.child({ component: name });
  const write =
    (level: pino.Level) =>
    (...msg: unknown[]) => {
      const [first, ...rest] = msg;
      if (first instanceof Error) child[level]({ err: first }, rest.map(String).join(' ') || first.message);
      else child[level](msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' '));
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
