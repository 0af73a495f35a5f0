import type { FieldIssue } from './application.ts';

/** Bidirectional controls: an override (U+202E) or isolate reverses or reorders what follows it on screen. */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** Fields shown as they are (card header, digest, fallback texts) or opened: names and URLs. */
const SHOWN_FIELDS = [
  ['organization', 'name'],
  ['organization', 'website'],
  ['contact', 'name'],
  ['impoc', 'name'],
] as const;

/** A name or URL holding a bidi control is refused, naming the field, before the schema runs. */
export function bidiControlIssues(body: unknown): FieldIssue[] {
  if (body === null || typeof body !== 'object') return [];
  return SHOWN_FIELDS.flatMap(([group, field]) => {
    const value = ((body as Record<string, unknown>)[group] as Record<string, unknown> | undefined)?.[field];
    return typeof value === 'string' && BIDI_CONTROL.test(value)
      ? [
          {
            path: `${group}.${field}`,
            message: 'contains a bidirectional control character (such as U+202E), which would reorder the text',
          },
        ]
      : [];
  });
}
