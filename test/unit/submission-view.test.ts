import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../views/format.ts';
import { LIMITS } from '../../views/limits.ts';
import { businessReviewModal } from '../../views/modals/stage1.ts';
import { recordGapModal } from '../../views/modals/stage2.ts';
import { paginate, type SubmissionModel, submissionBlocks, submissionModal } from '../../views/modals/submission.ts';
import { escapedChunks } from '../../views/split.ts';
import type { ApplicationSummary } from '../../views/types.ts';
import { blockKitProblems } from '../../views/validate.ts';

const app: ApplicationSummary = {
  id: 7,
  profileId: 'amzn1.profile.7',
  organizationName: 'Adventure Works',
  website: 'https://adventure.example.com',
  country: 'US',
  developerType: 'public',
  roles: ['Tax Invoicing'],
  marketplaces: ['NA', 'US'],
  launchReadiness: 'beta',
  submittedAt: new Date('2026-03-01T08:00:00Z'),
  receivedAt: new Date('2026-03-01T08:00:05Z'),
  stage: 'security',
  status: 'in_review',
  statusSince: new Date('2026-03-01T08:00:05Z'),
  assigneeId: 'UASSIGNEE',
  version: 3,
  infoRounds: 0,
  architectId: null,
  productionSince: null,
};

/** Text of exactly `length` characters that grows most when escaped, tagged so its pieces can be told apart. */
const worst = (tag: string, length: number) => `${tag}:${'&<> '.repeat(length)}`.slice(0, length);

function model(overrides: Partial<SubmissionModel> = {}): SubmissionModel {
  return {
    application: app,
    profile: {
      useCase: 'Prints shipping labels.',
      businessDescription: 'Shipping software.',
      piiRetention: '<31',
      securityAnswers: [{ topic: 'encryption at rest', answer: 'AES-256 with KMS.' }],
      impoc: { name: 'Ivan Incident', email: 'security@example.com' },
      contact: { name: 'Dana Developer', email: 'dana@example.com', phone: '+49 30 1234567' },
    },
    purgedAt: null,
    showContact: false,
    questionnaire: null,
    gaps: [],
    sentToDeveloper: [],
    earlierCycles: [],
    ...overrides,
  };
}

/** Every section and field text of every page, in order. */
function pagesOf(m: SubmissionModel) {
  const pages = paginate(submissionBlocks(m));
  return pages.map((_, p) => submissionModal(m, p, pages) as unknown as { blocks: Record<string, any>[] });
}
const sectionTexts = (pages: { blocks: Record<string, any>[] }[]) =>
  pages.flatMap((p) => p.blocks.filter((b) => b.type === 'section' && b.text).map((b) => String(b.text.text)));

describe('escapedChunks', () => {
  it('keeps every character, cuts only between escaped characters, and stays within the limit', () => {
    const text = `${'a'.repeat(10)} ${'&'.repeat(40)}\n${'😀'.repeat(30)}`;
    const chunks = escapedChunks(text, 37);
    expect(chunks.join('')).toBe(escapeMrkdwn(text));
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(37);
      expect(c).not.toMatch(/&[a-z]*$/);
      expect(c.isWellFormed()).toBe(true);
    }
  });
});

describe('submission modal', () => {
  it('shows the use case, business description and every security answer, and no contact data unless allowed', () => {
    const m = model();
    const text = JSON.stringify(submissionBlocks(m));
    for (const needle of ['Prints shipping labels.', 'Shipping software.', 'encryption at rest', 'AES-256 with KMS.']) {
      expect(text).toContain(needle);
    }
    expect(text).toContain('Named');
    for (const secret of ['dana@example.com', 'Dana Developer', '+49 30 1234567', 'Ivan Incident', 'security@example.com']) {
      expect(text).not.toContain(secret);
    }
    const shown = JSON.stringify(submissionBlocks(model({ showContact: true })));
    for (const secret of ['dana@example.com', 'Dana Developer', '+49 30 1234567', 'Ivan Incident', 'security@example.com']) {
      expect(shown).toContain(secret);
    }
  });

  it('flags retention past 30 days with Amazon’s guidance, and not the shortest bucket', () => {
    for (const bucket of ['31-90', '91-180', '>180']) {
      const text = JSON.stringify(submissionBlocks(model({ profile: { ...model().profile, piiRetention: bucket } })));
      expect(text).toContain('within 30 days of delivery');
    }
    expect(JSON.stringify(submissionBlocks(model()))).not.toContain('within 30 days of delivery');
  });

  it('lists every gap with its description, the answer it is about and its resolution', () => {
    const text = JSON.stringify(
      submissionBlocks(
        model({
          gaps: [
            {
              area: 'incident_response',
              severity: 'high',
              description: 'No named roles in the plan.',
              securityAnswer: 1,
              questionId: null,
              resolvedAt: null,
              resolution: null,
            },
          ],
        }),
      ),
    );
    expect(text).toContain('Gaps (1 open, 0 resolved)');
    expect(text).toContain('Incident response · high · open · on security answer 1');
    expect(text).toContain('No named roles in the plan.');
  });

  it('names a missing IMPOC, shows the denial as sent and leaves a place for earlier cycles', () => {
    const { impoc: _none, ...profile } = model().profile;
    const text = JSON.stringify(
      submissionBlocks(
        model({
          profile,
          sentToDeveloper: [{ kind: 'denial', body: 'We cannot grant the roles at this time.', sentAt: new Date() }],
        }),
      ),
    );
    expect(text).toContain('Not named');
    expect(text).toContain('We cannot grant the roles at this time.');
    expect(text).toContain('Earlier review cycles');
  });

  it('stays inside Slack’s limits on every page at the schema’s maximum sizes, losing no text', () => {
    const answers = Array.from({ length: 100 }, (_, i) => ({ topic: worst(`T${i}`, 200), answer: worst(`A${i}`, 5000) }));
    const questions = Array.from({ length: 30 }, (_, i) => ({
      questionId: `Q${String(i).padStart(2, '0')}`,
      area: 'encryption_at_rest',
      question: worst(`Q${i}`, 1000),
      answer: worst(`R${i}`, 3000),
      review: 'gap',
    }));
    const m = model({
      showContact: true,
      profile: {
        useCase: worst('U', 2000),
        businessDescription: worst('B', 500),
        piiRetention: '>180',
        securityAnswers: answers,
        impoc: { name: worst('I', 200), email: 'impoc@example.com' },
        contact: { name: worst('C', 200), email: 'c@example.com', phone: '+1 (555) 000-0000' },
        merchants: { servedToday: true, channels: Array.from({ length: 20 }, (_, i) => worst(`M${i}`, 100)) },
        employeeCount: 10_000_000,
        dataSharedWith: Array.from({ length: 30 }, (_, i) => worst(`P${i}`, 300)),
        otherDataSources: Array.from({ length: 30 }, (_, i) => worst(`S${i}`, 300)),
      },
      questionnaire: { version: 'x'.repeat(40), items: questions },
      gaps: Array.from({ length: 60 }, (_, i) => ({
        area: 'incident_response',
        severity: 'critical',
        description: worst(`G${i}`, 2000),
        securityAnswer: i + 1,
        questionId: 'Q01',
        resolvedAt: new Date(),
        resolution: worst(`Z${i}`, 2000),
      })),
      sentToDeveloper: Array.from({ length: 20 }, (_, i) => ({
        kind: 'information_request',
        body: worst(`D${i}`, 3000),
        sentAt: new Date(),
      })),
    });
    const pages = pagesOf(m);
    expect(pages.length).toBeGreaterThan(1);
    for (const [i, page] of pages.entries()) {
      expect(blockKitProblems('modal', page as never), `page ${i + 1}`).toEqual([]);
      expect(page.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
    }
    // Reassembled from its sections, each long text is all there.
    const texts = sectionTexts(pages);
    const body = (title: string) =>
      texts
        .filter((t) => t.startsWith(`*${title}*`))
        .map((t) => t.slice(t.indexOf('\n') + 1))
        .join('');
    expect(body('Use case')).toBe(escapeMrkdwn(worst('U', 2000)));
    expect(body(`100. ${escapeMrkdwn(answers[99]?.topic ?? '')}`)).toBe(escapeMrkdwn(answers[99]?.answer ?? ''));
    expect(body(`1. ${escapeMrkdwn(answers[0]?.topic ?? '')}`)).toBe(escapeMrkdwn(answers[0]?.answer ?? ''));
    expect(body('Answer to Q29')).toBe(escapeMrkdwn(questions[29]?.answer ?? ''));
    // The last page can be reached and says so; the first offers no way back.
    expect(JSON.stringify(pages.at(-1)?.blocks[0])).toContain(`page ${pages.length} of ${pages.length}`);
    expect(JSON.stringify(pages[0]?.blocks)).not.toContain('submission.previous');
    expect(JSON.stringify(pages.at(-1)?.blocks)).not.toContain('submission.next');
  });

  it('keeps the Stage 1 and gap modals inside Slack’s limits at the schema’s maximum sizes, the use case whole', () => {
    const useCase = worst('U', 2000);
    const stage1 = businessReviewModal(
      app,
      { version: 1, body: 'd'.repeat(3000) },
      { useCase, businessDescription: worst('B', 500) },
    );
    expect(blockKitProblems('modal', stage1 as never)).toEqual([]);
    const texts = (stage1.blocks as Record<string, any>[]).filter((b) => b.type === 'section').map((b) => String(b.text.text));
    const body = texts
      .filter((t) => t.startsWith('*Use case*'))
      .map((t) => t.slice(t.indexOf('\n') + 1))
      .join('');
    expect(body).toBe(escapeMrkdwn(useCase));
    const answers = Array.from({ length: 100 }, (_, i) => ({ topic: worst(`T${i}`, 200), answer: worst(`A${i}`, 5000) }));
    const gap = recordGapModal(app, answers);
    expect(blockKitProblems('modal', gap as never)).toEqual([]);
    expect(JSON.stringify(gap)).toContain('"value":"100"');
  });

  it('asks for a page past the end: shows the last one', () => {
    const view = submissionModal(model(), 99) as unknown as { blocks: unknown[]; private_metadata: string };
    expect(JSON.parse(view.private_metadata)).toEqual({ id: 7, page: 0 });
  });
});
