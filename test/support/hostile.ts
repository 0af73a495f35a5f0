import fc from 'fast-check';
import type { RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import { mrkdwnTexts } from './fixtures.ts';

/**
 * Mentions and links a developer (or a careless reviewer) might slip into a text that Slack reads
 * as mrkdwn. The outsider never acts anywhere, so a mention of them can only be injected, also
 * where the admin acts (and is mentioned) legitimately.
 */
export const INJECTIONS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U0ADMIN001>',
  '<@U0OUTSID01>',
  '<https://evil.example|bank>',
] as const;

/** Pieces hostile text is made of: injections, SQL, prototype keys, control and bidi characters, mrkdwn syntax. */
export const FRAGMENTS = [
  ...INJECTIONS,
  '<!subteam^S0ADMINS>',
  '<#C0GENERAL>',
  "'; drop table applications; --",
  "' or '1'='1",
  '$1',
  '__proto__',
  'constructor',
  'prototype',
  '\u202e',
  '\ufeff',
  '\r\n',
  '\t',
  '*bold* _it_ ~s~ `code` ```block```',
  '> quote',
  '&lt;!channel&gt;',
  '&amp;',
  '🙂👩🏽‍💻',
  'Zа\u0301lgo̸',
  '{{template}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder is the hostile input here
  '${process.env}',
  '%s%n',
  '../../etc/passwd',
];

/**
 * Free text: a mix of fragments and arbitrary code points, without NUL (and, as fast-check's
 * 'binary' unit, without lone surrogates): Postgres cannot store those, which
 * test/abuse/unstorable-text.test.ts shows on its own, so the properties keep looking for the rest.
 */
export const hostileText = (maxPieces = 8): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ maxLength: 20 })), {
      maxLength: maxPieces,
    })
    .map((pieces) => pieces.join('').replaceAll('\u0000', ''));

/** Text a person would plausibly type, with injections in it: it should pass validation and reach Slack. */
export const injectedText: fc.Arbitrary<string> = fc
  .tuple(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 15 }),
    fc.constantFrom(...INJECTIONS),
    fc.string({ maxLength: 15 }),
  )
  .map(([a, injection, b]) => `Note ${a} ${injection} ${b}`.trim());

/** Any JSON-ish value of the wrong kind for a field. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(''),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'value', 'type', 'x'), fc.string(), { maxKeys: 3 }),
  hostileText(),
  fc.constant('x'.repeat(70_000)),
);

/**
 * Markup in what the bot posted that only unescaped input can explain: a broadcast, a mention of
 * someone who did not act, a link with another's label. `<!date^…>` and mentions of actors are the bot's own.
 */
export function injectedMarkup(payload: unknown, mentionable: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const text of mrkdwnTexts(payload)) {
    for (const [token] of text.matchAll(/<[^<>]*>/g)) {
      if (token.startsWith('<!date^')) continue;
      const mention = /^<@([A-Z0-9]+)>$/.exec(token);
      if (mention && mentionable.includes(mention[1] ?? '')) continue;
      if (/^<https:\/\/[^|<>]+\|[^<>]*>$/.test(token) && !token.startsWith('<https://evil.example')) continue;
      found.push(token);
    }
  }
  return found;
}

/** Every injection found in what the bot sent Slack (posts, updates, ephemerals, modals, answers to response_url). */
export function injectionsSent(emulator: RunningEmulator, mentionable: readonly string[], fromCall = 0): string[] {
  return emulator.state.calls
    .slice(fromCall)
    .flatMap((call) =>
      injectedMarkup(call.method.startsWith('views.') ? call.args.view : call.args, mentionable).map(
        (token) => `${call.method}: ${token}`,
      ),
    );
}

/** Object.prototype as it should stay: a parsed `__proto__` key must never reach it. */
export function prototypePolluted(): string[] {
  const probe = {} as Record<string, unknown>;
  return ['polluted', 'isAdmin', 'value', 'type', 'x', 'admin'].filter((key) => probe[key] !== undefined);
}
