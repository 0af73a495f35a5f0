import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadQuestionnaire,
  type Questionnaire,
  questionnaireSchema,
  withContactFlags,
} from '../../src/questionnaire/questionnaire.ts';

/** The ids of the questions whose answers are contact data. */
const contactQuestionIds = (q: Questionnaire) =>
  q.questions.filter((question) => question.contact).map((question) => question.id);

const file = (content: unknown) => {
  const path = join(mkdtempSync(join(tmpdir(), 'questionnaire-')), 'q.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
};

const replacement = (contact: unknown) => ({
  version: 'acme-1',
  title: 'Acme questions',
  maxAnswerChars: 500,
  questions: [
    { id: 'A1', area: 'network_protection', text: 'How is your network protected?' },
    { id: 'A2', area: 'incident_response', text: 'Who is your security contact (name, e-mail, phone)?', contact },
  ],
});

describe('the questionnaire file', () => {
  it('lets an admin mark a question whose answer is contact data', () => {
    const q = loadQuestionnaire(file(replacement(true)));
    expect(contactQuestionIds(q)).toEqual(['A2']);
  });

  it('refuses a contact flag that is not true or false, naming the question', () => {
    expect(() => loadQuestionnaire(file(replacement('yes')))).toThrow(/questions\.1\.contact/);
    expect(questionnaireSchema.safeParse(replacement(false)).success).toBe(true);
  });

  it('ships with the IMPOC question (name and e-mail) marked as contact data, and no other', () => {
    const shipped = loadQuestionnaire();
    const ids = contactQuestionIds(shipped);
    expect(ids).toEqual(['Q14']);
    expect(shipped.questions.find((q) => q.id === 'Q14')?.text).toMatch(/IMPOC/);
  });
});

describe('a stored version read back (withContactFlags)', () => {
  const shipped = loadQuestionnaire();
  /** The shipped version as stored before questions could be flagged. */
  const unflagged: Questionnaire = {
    ...shipped,
    questions: shipped.questions.map(({ contact: _contact, ...q }) => q),
  };

  it('takes the shipped flags when it is the shipped version, question by question', () => {
    expect(contactQuestionIds(unflagged)).toEqual([]);
    expect(contactQuestionIds(withContactFlags(unflagged, shipped))).toEqual(['Q14']);
    expect(contactQuestionIds(withContactFlags(unflagged))).toEqual(['Q14']);
  });

  it('leaves another version as it was stored, and a question whose text differs', () => {
    const other = { ...unflagged, version: 'acme-1' };
    expect(withContactFlags(other, shipped)).toBe(other);
    const reworded = {
      ...unflagged,
      questions: unflagged.questions.map((q) => (q.id === 'Q14' ? { ...q, text: 'Name your favourite colour.' } : q)),
    };
    expect(contactQuestionIds(withContactFlags(reworded, shipped))).toEqual([]);
  });

  it('keeps a flag the stored version already has', () => {
    const stored = loadQuestionnaire(file(replacement(true)));
    expect(contactQuestionIds(withContactFlags(stored, { ...stored, questions: [] }))).toEqual(['A2']);
  });
});
