import { and, eq, inArray, isNull } from 'drizzle-orm';
import { developerMessages, developerReplies, gaps, questionnaireAnswers, questionnaireVersions } from '../../../db/schema.ts';
import { questionnaireDocument } from '../../questionnaire/questionnaire.ts';
import type { CycleCommandType } from '../../workflow/cycles.ts';
import type { LateCommandType } from '../../workflow/late.ts';
import type { Command } from '../../workflow/rules.ts';
import { storeAnswers } from '../answers.ts';
import { currentTemplate } from '../templates.ts';
import { applyDenial } from './denial.ts';
import type { Details, Write } from './types.ts';

type EarlyCommand = Exclude<Command, { type: LateCommandType | CycleCommandType }>;

/** The decisions plainEarlyEffects may answer (a Stage 1 review only when it passes). */
export const PLAIN_EARLY_TYPES: ReadonlySet<string> = new Set<Command['type']>([
  'claim',
  'pass_security',
  'assign',
  'business_review',
  'skip_questionnaire',
  'record_gap',
]);

/**
 * A Stage 1–2 decision that changes nothing but what the application's own statement writes
 * (its update, an added row, the event and the effects): no read, no other write. Answers how
 * to build its change once the application is read, or undefined for the decisions that read
 * or write more (applyEarlyEffects does those).
 */
export function plainEarlyEffects(command: Command): ((write: Pick<Write, 'app' | 'actorId' | 'now'>) => Details) | undefined {
  switch (command.type) {
    case 'claim':
      return () => ({ type: 'application.claimed', payload: {} });
    case 'pass_security':
      return () => ({ type: 'security.passed', payload: {} });
    case 'assign':
      return () => ({ type: 'application.assigned', payload: { assigneeId: command.assigneeId } });
    case 'business_review':
      if (command.decision !== 'advance') return undefined;
      return () => ({ type: 'business_review.passed', payload: { criteria: command.criteria, decision: command.decision } });
    case 'skip_questionnaire':
      return () => ({
        type: 'questionnaire.skipped',
        payload: {},
        applicationChanges: { questionnaireSkipReason: command.reason.trim() },
      });
    case 'record_gap':
      return ({ app, actorId, now }) => ({
        type: 'gap.recorded',
        payload: {
          area: command.area,
          severity: command.severity,
          // The description is private (DOMAIN.md) and events are kept forever: it lives in `gaps`,
          // where retention can delete it.
          ...(command.securityAnswer ? { securityAnswer: command.securityAnswer } : {}),
        },
        row: {
          table: gaps,
          payloadKey: 'gapId',
          values: {
            applicationId: app.id,
            cycle: app.cycle,
            area: command.area,
            severity: command.severity,
            description: command.description.trim(),
            securityAnswer: command.securityAnswer ?? null,
            raisedBy: actorId,
            raisedAt: now,
          },
        },
      });
    default:
      return undefined;
  }
}

/** The rows a Stage 1–2 decision writes besides the application itself; runs only after the rules said yes. */
export async function applyEarlyEffects(write: Write, command: EarlyCommand): Promise<Details> {
  const plain = plainEarlyEffects(command);
  if (plain) return plain(write);
  const { tx, deps, app, actorId, now } = write;
  const message = async (kind: string, body: string, templateVersion?: number) => {
    await tx.insert(developerMessages).values({
      applicationId: app.id,
      cycle: app.cycle,
      kind,
      body,
      templateVersion: templateVersion ?? null,
      sentBy: actorId,
      sentAt: now,
    });
  };
  switch (command.type) {
    case 'claim':
    case 'pass_security':
    case 'assign':
    case 'skip_questionnaire':
    case 'record_gap':
      throw new Error(`unreachable: plainEarlyEffects answers ${command.type}`);
    case 'reopen':
      return { type: 'application.reopened', payload: { reason: command.reason.trim() } };
    case 'withdraw':
      return { type: 'application.withdrawn', payload: { reason: command.reason.trim() } };
    case 'business_review': {
      const payload = { criteria: command.criteria, decision: command.decision };
      const template = await currentTemplate(tx, 'denial');
      const body = (command.denialText ?? '').trim();
      await message('denial', body, template.version);
      return {
        type: 'business_review.rejected',
        payload: { ...payload, templateVersion: template.version, denialEdited: body !== template.body.trim() },
      };
    }
    case 'resolve_gap': {
      const [gap] = await tx
        .update(gaps)
        .set({ resolvedAt: now, resolvedBy: actorId, resolution: command.resolution.trim() })
        .where(eq(gaps.id, command.gapId))
        .returning();
      // As with the description, the resolution stays in `gaps` only.
      return { type: 'gap.resolved', payload: { gapId: command.gapId, area: gap?.area } };
    }
    case 'request_information':
      await message('information_request', command.message.trim());
      return {
        type: 'information.requested',
        payload: { round: app.infoRounds + 1 },
        applicationChanges: { infoRounds: app.infoRounds + 1 },
      };
    case 'send_questionnaire': {
      const q = deps.questionnaire;
      await tx.insert(questionnaireVersions).values({ version: q.version, content: q, createdAt: now }).onConflictDoNothing();
      await message('questionnaire', questionnaireDocument(q, app));
      return {
        type: 'questionnaire.sent',
        payload: { version: q.version, questions: q.questions.length },
        applicationChanges: { questionnaireVersion: q.version, questionnaireSentAt: now },
        effects: [{ kind: 'thread.file', applicationId: app.id, file: 'questionnaire' }],
      };
    }
    case 'record_answers': {
      const changed = await storeAnswers(tx, app, command.answers, 'reviewer', now);
      return { type: 'questionnaire.answers_recorded', payload: { questionIds: changed } };
    }
    case 'developer_replied': {
      await tx.insert(developerReplies).values({
        applicationId: app.id,
        cycle: app.cycle,
        stage: app.stage,
        summary: command.summary.trim(),
        evidenceUrl: command.evidenceUrl?.trim() || null,
        addresses: [...command.addresses],
        recordedBy: actorId,
        recordedAt: now,
      });
      // Counts only: the summary and the link are the developer's matter, kept off the thread.
      return {
        type: 'developer.replied',
        payload: {
          round: app.infoRounds,
          addresses: command.addresses.length,
          addressesKind: app.stage === 'security' ? 'gaps' : 'questions',
          evidence: Boolean(command.evidenceUrl?.trim()),
        },
      };
    }
    case 'deny_security':
      return applyDenial({ tx, deps, app, actorId, now }, command, 'security.rejected');
    case 'review_answers': {
      const resolvedGaps: number[] = [];
      const toResolve = command.reviews.filter((r) => r.verdict === 'accept' && r.resolveGap).map((r) => r.questionId);
      if (toResolve.length > 0) {
        const rows = await tx
          .update(gaps)
          .set({ resolvedAt: now, resolvedBy: actorId, resolution: 'The answer was accepted on review.' })
          .where(
            and(
              eq(gaps.applicationId, app.id),
              eq(gaps.cycle, app.cycle),
              inArray(gaps.questionId, toResolve),
              isNull(gaps.resolvedAt),
            ),
          )
          .returning({ id: gaps.id });
        resolvedGaps.push(...rows.map((r) => r.id));
      }
      const accepted: string[] = [];
      const raised: { questionId: string; gapId?: number; area: string; severity: string }[] = [];
      for (const review of command.reviews) {
        await tx
          .update(questionnaireAnswers)
          .set({ review: review.verdict === 'accept' ? 'accepted' : 'gap', reviewedBy: actorId, reviewedAt: now })
          .where(
            and(
              eq(questionnaireAnswers.applicationId, app.id),
              eq(questionnaireAnswers.cycle, app.cycle),
              eq(questionnaireAnswers.questionId, review.questionId),
            ),
          );
        if (review.verdict === 'accept') {
          accepted.push(review.questionId);
          continue;
        }
        const [gap] = await tx
          .insert(gaps)
          .values({
            applicationId: app.id,
            cycle: app.cycle,
            area: review.area,
            severity: review.severity,
            description: review.description.trim(),
            questionId: review.questionId,
            raisedBy: actorId,
            raisedAt: now,
          })
          .returning({ id: gaps.id });
        raised.push({
          questionId: review.questionId,
          ...(gap ? { gapId: gap.id } : {}),
          area: review.area,
          severity: review.severity,
        });
      }
      return {
        type: 'questionnaire.answers_reviewed',
        payload: { accepted, raised, ...(resolvedGaps.length > 0 ? { resolvedGaps } : {}) },
      };
    }
  }
}
