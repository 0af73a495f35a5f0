import { count, like } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { applications } from '../../db/schema.ts';
import { type Clock, FakeClock } from '../clock.ts';
import type { Policy, Roles } from '../config.ts';
import { parseApplication } from '../intake/application.ts';
import type { Questionnaire } from '../questionnaire/questionnaire.ts';
import { applyDecision } from '../reviews/decide.ts';
import { receiveApplication } from '../reviews/receive-application.ts';
import { reportRestrictedCall } from '../reviews/report-call.ts';
import { currentTemplate } from '../reviews/templates.ts';
import { BUSINESS_CRITERIA, type CriterionId } from '../workflow/controls.ts';
import type { Command } from '../workflow/rules.ts';
import { DEMO_PROFILE_PREFIX, DEMO_PROFILES, type DemoProfileKey } from './demo-profiles.ts';
import { PERSONAS } from './personas.ts';
import { zonedHour } from './wall-clock.ts';

export type DemoDeps = { db: Db; clock: Clock; roles: Roles; questionnaire: Questionnaire; policy: Policy };

export type DemoResult =
  | { outcome: 'loaded'; applications: { id: number; organization: string; shows: string }[] }
  | { outcome: 'already_loaded'; count: number };

/** A step of the demo that the product refused: the personas lack a role, or a rule changed. */
export class DemoError extends Error {}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const persona = (role: string) => {
  const found = PERSONAS.find((p) => p.role === role);
  if (!found) throw new DemoError(`The sandbox has no ${role} persona.`);
  return found;
};
const RILEY = PERSONAS[0]?.id ?? '';
const SAM = PERSONAS[1]?.id ?? '';
const ARCHITECT = persona('architect');
const MORGAN = persona('admin').id;

const ALL_PASS = Object.fromEntries(BUSINESS_CRITERIA.map((c) => [c.id, { pass: true }])) as Record<
  CriterionId,
  { pass: boolean; note?: string }
>;

/** Midnight UTC of a day: what a date picker gives the product. */
const dayStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/**
 * One application's history, told through the product's own use cases (intake's receive,
 * the reviewers' decide) at the instants it happened: a clock of its own is set back for each
 * step, so every rule about dates holds as it would have then.
 */
class Story {
  readonly clock = new FakeClock();
  id = 0;
  private submittedAt = '';
  constructor(
    private readonly deps: DemoDeps,
    readonly key: DemoProfileKey,
  ) {}

  private input(extra: Record<string, unknown> = {}) {
    const body = {
      ...structuredClone(DEMO_PROFILES[this.key]),
      profileId: `${DEMO_PROFILE_PREFIX}${this.key}`,
      submittedAt: this.clock.now().toISOString(),
      ...extra,
    };
    const parsed = parseApplication(body);
    if (!parsed.ok) throw new DemoError(`Demo profile ${this.key} is not valid: ${JSON.stringify(parsed.issues)}`);
    return parsed.application;
  }

  at(instant: Date): this {
    this.clock.set(instant);
    return this;
  }

  async receive(): Promise<this> {
    const result = await receiveApplication({ db: this.deps.db, clock: this.clock }, this.input());
    if (result.outcome === 'invalid') throw new DemoError(`Intake refused ${this.key}: ${result.error}`);
    this.id = result.application.id;
    this.submittedAt = this.clock.now().toISOString();
    return this;
  }

  /** The developer's questionnaire answers, sent through intake with the profile as it was. */
  async answers(answer: (question: { id: string; text: string }) => string): Promise<this> {
    const questionnaireAnswers = this.deps.questionnaire.questions.map((q) => ({ questionId: q.id, answer: answer(q) }));
    const result = await receiveApplication(
      { db: this.deps.db, clock: this.clock },
      this.input({ submittedAt: this.submittedAt, questionnaireAnswers }),
    );
    if (result.outcome === 'invalid') throw new DemoError(`Intake refused the answers of ${this.key}: ${result.error}`);
    return this;
  }

  /** A successful restricted call the developer's integration reports, as `POST …/restricted-calls` does. */
  async reportCall(at: Date, operation: string): Promise<this> {
    const result = await reportRestrictedCall({ ...this.deps, clock: this.clock }, { applicationId: this.id, at, operation });
    if (result.kind === 'refused')
      throw new DemoError(`The product refused a restricted call on the demo's ${this.key}: ${result.refusal.message}`);
    if (result.kind !== 'recorded') throw new DemoError(`A restricted call on the demo's ${this.key} ended ${result.kind}.`);
    return this;
  }

  async decide(actorId: string, command: Command): Promise<this> {
    const result = await applyDecision(
      { ...this.deps, clock: this.clock },
      {
        applicationId: this.id,
        actorId,
        command,
        ...(actorId === ARCHITECT.id || 'architectId' in command ? { architectTimeZone: ARCHITECT.tz } : {}),
      },
    );
    if (result.kind === 'refused')
      throw new DemoError(`The product refused ${command.type} on the demo's ${this.key}: ${result.refusal.message}`);
    if (result.kind !== 'done') throw new DemoError(`${command.type} on the demo's ${this.key} ended ${result.kind}.`);
    return this;
  }
}

const ANSWERS: Record<string, string> = {
  Q04: 'https://{site}/privacy',
  Q14: 'Security team, security@{site}',
};

/** Plausible answers a developer would give, one per question. */
function sampleAnswer(site: string) {
  return (q: { id: string; text: string }) =>
    (ANSWERS[q.id] ?? `We do this today: ${q.text.slice(0, 80).replace(/\?$/, '')}; documented in our security policy.`).replace(
      '{site}',
      site,
    );
}

/**
 * Fills the workspace with a realistic board: a dozen applications, each in another stage or
 * state, built through the same use cases reviewers and intake use, with their cards and threads.
 * Refused (not repeated) once loaded; Reset sandbox empties it.
 */
export async function loadDemoData(deps: DemoDeps): Promise<DemoResult> {
  const [existing] = await deps.db
    .select({ n: count() })
    .from(applications)
    .where(like(applications.profileId, `${DEMO_PROFILE_PREFIX}%`));
  if ((existing?.n ?? 0) > 0) return { outcome: 'already_loaded', count: Number(existing?.n) };

  const now = deps.clock.now();
  const ago = (days: number, hours = 0) => new Date(now.getTime() - days * DAY - hours * HOUR);
  const denialText = (await currentTemplate(deps.db, 'denial')).body;
  const story = (key: DemoProfileKey) => new Story(deps, key);
  const made: { id: number; organization: string; shows: string }[] = [];
  const done = (s: Story, shows: string) => made.push({ id: s.id, organization: DEMO_PROFILES[s.key].organization.name, shows });

  const advance = (s: Story, who: string, days: number) =>
    s.at(ago(days)).decide(who, { type: 'business_review', criteria: ALL_PASS, decision: 'advance' });
  /** Stage 2 the public way: questionnaire sent, answered, every answer accepted, passed. */
  const throughQuestionnaire = async (s: Story, who: string, sentDaysAgo: number, passedDaysAgo: number) => {
    const q = deps.questionnaire;
    await s
      .at(ago(sentDaysAgo))
      .decide(who, { type: 'send_questionnaire', version: q.version, questionIds: q.questions.map((x) => x.id) });
    await s.at(ago(sentDaysAgo - 3)).answers(sampleAnswer(DEMO_PROFILES[s.key].organization.website.replace('https://', '')));
    await s.at(ago(passedDaysAgo, 1)).decide(who, {
      type: 'review_answers',
      reviews: q.questions.map((x) => ({ questionId: x.id, verdict: 'accept' as const })),
    });
    await s.at(ago(passedDaysAgo)).decide(who, { type: 'pass_security' });
  };
  /** A meeting at 10:00 in the architect's zone on the day `daysFromNow` away, scheduled `scheduledDaysAgo`. */
  const meeting = (daysFromNow: number) => zonedHour(new Date(now.getTime() + daysFromNow * DAY), 10, ARCHITECT.tz);
  const schedule = (s: Story, who: string, scheduledDaysAgo: number, startsAt: Date) =>
    s.at(ago(scheduledDaysAgo)).decide(who, {
      type: 'schedule_review',
      architectId: ARCHITECT.id,
      startsAt,
      durationMinutes: 60,
      agenda: 'Walk through the PII data flows, encryption and access controls on screen.',
      outsideHoursConfirmed: false,
    });
  /** Approved after a meeting held `heldDaysAgo`: the whole way from intake. */
  const approved = async (s: Story, receivedDaysAgo: number, heldDaysAgo: number) => {
    await s.at(ago(receivedDaysAgo)).receive();
    await advance(s, RILEY, receivedDaysAgo - 2);
    await throughQuestionnaire(s, RILEY, receivedDaysAgo - 3, heldDaysAgo + 5);
    const startsAt = meeting(-heldDaysAgo);
    await schedule(s, RILEY, heldDaysAgo + 4, startsAt);
    await s.at(new Date(startsAt.getTime() + 2 * HOUR)).decide(ARCHITECT.id, { type: 'record_outcome', outcome: 'approved' });
    return startsAt;
  };
  /** A successful restricted call the developer's integration reports, `daysAgo`. */
  const call = (s: Story, daysAgo: number, operation = 'getOrderAddress') =>
    s.at(ago(daysAgo)).reportCall(ago(daysAgo, 3), operation);
  const goLive = async (s: Story, liveDaysAgo: number) => {
    await s.at(ago(liveDaysAgo - 1)).decide(RILEY, { type: 'record_go_live', productionSince: dayStart(ago(liveDaysAgo)) });
    await call(s, liveDaysAgo - 2);
  };

  // New: received this morning, nobody has claimed it.
  const fresh = await story('southernCross').at(ago(0, 3)).receive();
  done(fresh, 'new, unclaimed');

  // Stage 1 claimed and left: stale for days (reminders and the digest say so).
  const stale = await story('alNoor').at(ago(12)).receive();
  await stale.at(ago(11)).decide(SAM, { type: 'claim' });
  done(stale, 'Stage 1 in review, stale');

  // Stage 2 with gaps open.
  const gaps = await story('maple').at(ago(8)).receive();
  await advance(gaps, RILEY, 7);
  await gaps.at(ago(6)).decide(RILEY, {
    type: 'record_gap',
    area: 'encryption_at_rest',
    severity: 'high',
    description: 'No detail on how PII is encrypted at rest or which key management system holds the keys.',
  });
  await gaps.at(ago(6)).decide(RILEY, {
    type: 'record_gap',
    area: 'incident_response',
    severity: 'medium',
    description: 'The incident plan does not commit to notifying Amazon within 24 hours.',
  });
  done(gaps, 'Stage 2, two gaps open');

  // Waiting on the developer after an information request, longer than the reminder allows.
  const waiting = await story('loja').at(ago(26)).receive();
  await advance(waiting, SAM, 24);
  await waiting.at(ago(21)).decide(SAM, {
    type: 'record_gap',
    area: 'data_retention',
    severity: 'high',
    description: 'PII kept five years; only the tax fields the law requires may be kept past 30 days.',
  });
  await waiting.at(ago(18)).decide(SAM, {
    type: 'request_information',
    message:
      'Please explain which buyer data you keep after shipment and for how long, and how the rest is deleted within 30 days.',
  });
  done(waiting, 'Stage 2, waiting on the developer');

  // The questionnaire came back: answers to review.
  const answered = await story('nordlicht').at(ago(20)).receive();
  await advance(answered, RILEY, 18);
  const q = deps.questionnaire;
  await answered
    .at(ago(15))
    .decide(RILEY, { type: 'send_questionnaire', version: q.version, questionIds: q.questions.map((x) => x.id) });
  await answered.at(ago(2)).answers(sampleAnswer('nordlicht-versand.example'));
  done(answered, 'Stage 2, questionnaire under review');

  // Private track: questionnaire skipped, architecture review tomorrow.
  const tomorrow = await story('brightHarbor').at(ago(14)).receive();
  await advance(tomorrow, SAM, 13);
  await tomorrow.at(ago(10)).decide(SAM, {
    type: 'skip_questionnaire',
    reason: 'Private developer serving only its own brand clients; the security answers cover the questionnaire.',
  });
  await tomorrow.at(ago(10)).decide(SAM, { type: 'pass_security' });
  await schedule(tomorrow, SAM, 2, meeting(1));
  done(tomorrow, 'Stage 3, meeting tomorrow');

  // The meeting was held; the architect wants clarification.
  const clarify = await story('sakura').at(ago(30)).receive();
  await advance(clarify, RILEY, 29);
  await clarify.at(ago(27)).decide(RILEY, { type: 'skip_questionnaire', reason: 'Private developer; own seller account only.' });
  await clarify.at(ago(27)).decide(RILEY, { type: 'pass_security' });
  const held = meeting(-6);
  await schedule(clarify, RILEY, 12, held);
  await clarify.at(new Date(held.getTime() + 2 * HOUR)).decide(ARCHITECT.id, {
    type: 'record_outcome',
    outcome: 'clarification',
    questions: ['Show the KMS key policy for the invoice bucket.', 'Where are invoice PDFs stored after 60 days?'],
  });
  done(clarify, 'Stage 3, clarification required');

  // Stage 3 to schedule, reassigned by the admin.
  const toSchedule = await story('lumen').at(ago(22)).receive();
  await advance(toSchedule, RILEY, 21);
  await throughQuestionnaire(toSchedule, RILEY, 20, 9);
  await toSchedule.at(ago(6)).decide(MORGAN, { type: 'assign', assigneeId: MORGAN });
  done(toSchedule, 'Stage 3, to schedule (assigned to the admin)');

  // Approved and live 100 days, calling the restricted API every week: access active, eligible for an audit.
  const live = story('fjord');
  await approved(live, 140, 115);
  await goLive(live, 100);
  await call(live, 40, 'getShipmentDetails');
  await call(live, 2);
  done(live, 'approved, live 100 days, access active, eligible for an audit');

  // Approved, live, the audit scheduled next week.
  const audit = story('prairie');
  await approved(audit, 190, 165);
  await goLive(audit, 150);
  await call(audit, 80);
  await audit.at(ago(20)).decide(RILEY, { type: 'schedule_audit', auditor: 'Deloitte', scheduledFor: dayStart(ago(-6)) });
  await call(audit, 9);
  done(audit, 'approved, audit scheduled');

  // The audit asked for remediation; one item is overdue.
  const remediation = story('kowloon');
  await approved(remediation, 300, 275);
  await goLive(remediation, 260);
  await remediation.at(ago(175)).decide(RILEY, { type: 'schedule_audit', auditor: 'PwC', scheduledFor: dayStart(ago(165)) });
  await remediation.at(ago(164)).decide(RILEY, {
    type: 'record_audit_outcome',
    outcome: 'remediation',
    items: [
      { text: 'Rotate the LWA client secret and move it to the secrets manager.', dueOn: dayStart(ago(20)) },
      { text: 'Turn on intrusion detection for the production VPC.', dueOn: dayStart(ago(-15)) },
    ],
  });
  done(remediation, 'approved, remediation overdue');

  // Rejected at Stage 1 with the general denial text.
  const rejected = await story('quickship').at(ago(15)).receive();
  await rejected.at(ago(13)).decide(RILEY, {
    type: 'business_review',
    criteria: {
      ...ALL_PASS,
      use_case: { pass: false, note: 'Two words; no reason given why the buyer address is needed.' },
      launch_readiness: { pass: false, note: 'Still in development, no live merchants.' },
    },
    decision: 'reject',
    denialText,
  });
  done(rejected, 'rejected at Stage 1');

  // Withdrawn by the admin at the developer's request.
  const withdrawn = await story('tidewater').at(ago(40)).receive();
  await advance(withdrawn, SAM, 38);
  await withdrawn.at(ago(21)).decide(MORGAN, { type: 'withdraw', reason: 'The developer withdrew the application by e-mail.' });
  done(withdrawn, 'withdrawn');

  return { outcome: 'loaded', applications: made };
}
