import { describe, expect, it } from 'vitest';
import { loadQuestionnaire } from '../../../src/questionnaire/questionnaire.ts';
import { sampleAnswer, sampleReply } from '../../../src/sandbox/developer-answers.ts';
import { SAMPLE_APPLICATIONS } from '../../../src/sandbox/samples.ts';

const QUESTIONNAIRE = loadQuestionnaire();

describe('the developer panel prefills', () => {
  it('answers every question of the shipped questionnaire within its limit, for every sample', () => {
    for (const sample of SAMPLE_APPLICATIONS) {
      const submission = { profileId: 'p', ...sample };
      for (const q of QUESTIONNAIRE.questions) {
        const answer = sampleAnswer(q.id, submission);
        expect(answer.trim().length, `${q.id} for ${sample.organization.name}`).toBeGreaterThan(0);
        expect(answer.length).toBeLessThanOrEqual(QUESTIONNAIRE.maxAnswerChars);
      }
      expect(sampleAnswer('Q04', submission)).toBe(`${sample.organization.website}/privacy`);
      expect(sampleAnswer('Q14', submission)).toContain(sample.impoc?.email ?? sample.contact.email);
    }
  });

  it('answers a question it does not know with something plausible, and replies to each open question', () => {
    const submission = { profileId: 'p', ...(SAMPLE_APPLICATIONS[0] as (typeof SAMPLE_APPLICATIONS)[number]) };
    expect(sampleAnswer('Q99', submission)).toContain('security policy');
    expect(sampleReply([])).toContain('MFA');
    const reply = sampleReply(['Which KMS?', 'Who is paged?']);
    expect(reply).toContain('1. Which KMS?');
    expect(reply).toContain('2. Who is paged?');
  });
});
