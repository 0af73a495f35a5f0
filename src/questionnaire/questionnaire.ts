import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CONTROL_AREA_IDS } from '../workflow/controls.ts';

export const questionnaireSchema = z.strictObject({
  version: z.string().trim().min(1).max(40),
  title: z.string().trim().min(1).max(200),
  maxAnswerChars: z.number().int().positive().max(3000),
  questions: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, 'question ids are short: letters, digits, - and _'),
        area: z.enum(CONTROL_AREA_IDS),
        text: z.string().trim().min(1).max(1000),
        /**
         * The answer is contact data (a name, an e-mail, a phone): like the profile's contact and
         * IMPOC, shown only to the assignee, the application's architect and admins.
         */
        contact: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(30)
    .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'question ids must be unique'),
});

export type Questionnaire = z.infer<typeof questionnaireSchema>;

export const DEFAULT_QUESTIONNAIRE_FILE = fileURLToPath(new URL('./default.json', import.meta.url));

/**
 * The questionnaire sent from now on. An admin replaces it by pointing QUESTIONNAIRE_FILE at
 * another file with a new `version`; each application keeps the version it was sent.
 */
export function loadQuestionnaire(path = DEFAULT_QUESTIONNAIRE_FILE): Questionnaire {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`QUESTIONNAIRE_FILE ${path} cannot be read as JSON: ${(error as Error).message}`);
  }
  const parsed = questionnaireSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'} ${i.message}`).join('; ');
    throw new Error(`QUESTIONNAIRE_FILE ${path} is not a valid questionnaire: ${problems}`);
  }
  return parsed.data;
}

let shipped: Questionnaire | undefined;
/** The questionnaire shipped with the bot (`default.json`), read once. */
export function shippedQuestionnaire(): Questionnaire {
  shipped ??= loadQuestionnaire(DEFAULT_QUESTIONNAIRE_FILE);
  return shipped;
}

/**
 * A version as stored when it was first sent, with the contact flags it may lack: versions
 * stored before questions could be flagged carry none. A question of the shipped version
 * (same version, id and text) takes the shipped flag; a flag already stored stays. Flags are
 * only ever added here, so reading an old version can only show less, never more.
 */
export function withContactFlags(stored: Questionnaire, known: Questionnaire = shippedQuestionnaire()): Questionnaire {
  if (stored.version !== known.version) return stored;
  const flagged = new Map(known.questions.filter((q) => q.contact).map((q) => [q.id, q.text]));
  if (!stored.questions.some((q) => !q.contact && flagged.get(q.id) === q.text)) return stored;
  return {
    ...stored,
    questions: stored.questions.map((q) => (!q.contact && flagged.get(q.id) === q.text ? { ...q, contact: true } : q)),
  };
}

/** The attachment the developer receives: plain text, with the application and version in it. */
export function questionnaireDocument(
  q: Questionnaire,
  application: { id: number; organizationName: string; profileId: string },
): string {
  const lines = [
    q.title,
    '='.repeat(Math.min(q.title.length, 80)),
    '',
    `Application: #${application.id} (${application.organizationName}, profile ${application.profileId})`,
    `Questionnaire version: ${q.version}`,
    '',
    `Answer each question in at most ${q.maxAnswerChars} characters, quoting its id (e.g. ${q.questions[0]?.id}).`,
    '',
  ];
  for (const question of q.questions) lines.push(`${question.id}. ${question.text}`, '', 'Answer:', '', '');
  return lines.join('\n');
}
