import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  type ApplicationRow,
  audits,
  clarificationQuestions,
  developerMessages,
  meetings,
  remediationItems,
  restrictedCalls,
} from '../../../db/schema.ts';
import { addDaysUtc } from '../../time.ts';
import { accessOf, restrictedCallNotice } from '../../workflow/access.ts';
import type { LateCommandType } from '../../workflow/late.ts';
import type { Command } from '../../workflow/rules.ts';
import type { Effect } from '../record.ts';
import { applyAccessEffects, isAccessCommand } from './access.ts';
import { applyDenial } from './denial.ts';
import type { Details, Write } from './types.ts';

type LateCommand = Extract<Command, { type: LateCommandType }>;

const iso = (d: Date) => d.toISOString();

/** What the access watch and the call's notice read of an approved application. */
export const callWatch = (app: ApplicationRow) => ({
  approvedAt: app.approvedAt ?? app.receivedAt,
  lastRestrictedCallAt: app.lastRestrictedCallAt,
  reinstatedAt: app.accessReinstatedAt,
  access: accessOf(app),
});

/** A recent call makes at-risk access active again. */
export const ACTIVE_AGAIN = (now: Date) => ({ accessStatus: 'active', accessSince: now, accessReason: null });

/** The event of a restricted call: its time, the operation, and access back from at risk. */
export const restrictedCallPayload = (call: { at: Date; operation: string }, back: boolean) => ({
  at: iso(call.at),
  operation: call.operation.trim(),
  ...(back ? { access: { from: 'at_risk', to: 'active' } } : {}),
});

/** The architecture review's calendar file, posted in the thread: an invite, or its cancellation. */
const invite = (applicationId: number, meetingId: number): Effect => ({
  kind: 'thread.file',
  applicationId,
  file: 'invite',
  meetingId,
});

/**
 * Cancels the cycle's meeting still scheduled, if there is one: no reminder or digest names it
 * any more, and the attendees get the cancellation (the same event with a higher SEQUENCE,
 * METHOD:CANCEL), through the effect answered with it. Cancel meeting does this; so does every
 * decision that ends the review the meeting belongs to (a denial, a withdrawal, a role review
 * ended by its outcome or by revoked access), and intake that drops every role under review.
 */
async function cancelScheduledMeeting({ tx, app, now }: Pick<Write, 'tx' | 'app' | 'now'>) {
  const [cancelled] = await tx
    .update(meetings)
    .set({ status: 'cancelled', sequence: sql`${meetings.sequence} + 1`, updatedAt: now })
    .where(and(eq(meetings.applicationId, app.id), eq(meetings.cycle, app.cycle), eq(meetings.status, 'scheduled')))
    .returning({ id: meetings.id, startsAt: meetings.startsAt, durationMinutes: meetings.durationMinutes });
  return cancelled ? { ...cancelled, effect: invite(app.id, cancelled.id) } : undefined;
}

/** The review ended (by a decision, or by intake): its meeting still scheduled is off. Answers the cancellation's effect, if any. */
export async function cancelMeetingAhead(write: Pick<Write, 'tx' | 'app' | 'now'>): Promise<Effect | undefined> {
  return (await cancelScheduledMeeting(write))?.effect;
}

/** The rows a Stage 3 or post-approval decision writes; runs only after the rules said yes. */
export async function applyLateEffects(write: Write, command: LateCommand): Promise<Details> {
  if (isAccessCommand(command)) return applyAccessEffects(write, command);
  const { tx, deps, app, actorId, now } = write;
  const latestMeeting = async () =>
    (
      await tx
        .select()
        .from(meetings)
        .where(and(eq(meetings.applicationId, app.id), eq(meetings.cycle, app.cycle)))
        .orderBy(desc(meetings.id))
        .limit(1)
    )[0];
  switch (command.type) {
    case 'deny_architecture':
      // A meeting still ahead is cancelled with the review it belonged to (decide.ts, courseChanges).
      return applyDenial({ tx, deps, app, actorId, now }, command, 'review.rejected');
    case 'schedule_review': {
      const [meeting] = await tx
        .insert(meetings)
        .values({
          applicationId: app.id,
          cycle: app.cycle,
          architectId: command.architectId,
          startsAt: command.startsAt,
          durationMinutes: command.durationMinutes,
          agenda: command.agenda.trim(),
          scheduledBy: actorId,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!meeting) throw new Error('meeting insert returned no row');
      return {
        type: 'review.scheduled',
        payload: {
          meetingId: meeting.id,
          architectId: command.architectId,
          startsAt: iso(command.startsAt),
          durationMinutes: command.durationMinutes,
        },
        applicationChanges: { architectId: command.architectId },
        effects: [invite(app.id, meeting.id)],
      };
    }
    case 'reschedule_review': {
      const before = await latestMeeting();
      if (!before) throw new Error(`application ${app.id} has no meeting to reschedule`);
      await tx
        .update(meetings)
        .set({
          architectId: command.architectId,
          startsAt: command.startsAt,
          durationMinutes: command.durationMinutes,
          agenda: command.agenda.trim(),
          sequence: before.sequence + 1,
          updatedAt: now,
        })
        .where(eq(meetings.id, before.id));
      return {
        type: 'review.rescheduled',
        payload: {
          meetingId: before.id,
          from: iso(before.startsAt),
          startsAt: iso(command.startsAt),
          architectId: command.architectId,
          durationMinutes: command.durationMinutes,
        },
        applicationChanges: { architectId: command.architectId },
        effects: [invite(app.id, before.id)],
      };
    }
    case 'cancel_review': {
      const meeting = await cancelScheduledMeeting(write);
      if (!meeting) throw new Error(`application ${app.id} has no meeting to cancel`);
      return {
        type: 'review.cancelled',
        payload: {
          meetingId: meeting.id,
          startsAt: iso(meeting.startsAt),
          durationMinutes: meeting.durationMinutes,
          reason: command.reason.trim(),
        },
        effects: [meeting.effect],
      };
    }
    case 'record_outcome': {
      const meeting = await latestMeeting();
      if (meeting?.status === 'scheduled')
        await tx.update(meetings).set({ status: 'held', updatedAt: now }).where(eq(meetings.id, meeting.id));
      // Recorded as such: an outcome before the meeting's start is true only when it was held early.
      const early = meeting && meeting.startsAt.getTime() > now.getTime() ? { heldEarly: true } : {};
      if (command.outcome === 'approved') {
        return {
          type: 'review.approved',
          payload: { meetingId: meeting?.id, ...early },
          // Access starts active; a later approval in the same life (a role review) leaves it as it is.
          applicationChanges: {
            approvedAt: app.approvedAt ?? now,
            ...(app.accessStatus ? {} : { accessStatus: 'active', accessSince: now, accessReason: null }),
          },
        };
      }
      const questions = command.questions.map((q) => q.trim()).filter(Boolean);
      const rows = await tx
        .insert(clarificationQuestions)
        .values(questions.map((text) => ({ applicationId: app.id, cycle: app.cycle, text, raisedBy: actorId, raisedAt: now })))
        .returning({ id: clarificationQuestions.id });
      await tx.insert(developerMessages).values({
        applicationId: app.id,
        cycle: app.cycle,
        kind: 'clarification',
        body: questions.map((q, i) => `${i + 1}. ${q}`).join('\n'),
        sentBy: actorId,
        sentAt: now,
      });
      return {
        type: 'review.clarification_required',
        payload: { meetingId: meeting?.id, questionIds: rows.map((r) => r.id), questions, ...early },
      };
    }
    case 'mark_answered': {
      await tx
        .update(clarificationQuestions)
        .set({ answeredAt: now, answeredBy: actorId })
        .where(and(inArray(clarificationQuestions.id, [...command.questionIds]), isNull(clarificationQuestions.answeredAt)));
      return { type: 'clarification.answered', payload: { questionIds: command.questionIds } };
    }
    case 'record_go_live': {
      const dueOn = addDaysUtc(command.productionSince, deps.policy.auditAfterDays);
      return {
        type: 'production.live',
        payload: {
          productionSince: iso(command.productionSince),
          auditDueOn: iso(dueOn),
          ...(app.productionSince ? { from: iso(app.productionSince) } : {}),
        },
        applicationChanges: { productionSince: command.productionSince },
      };
    }
    case 'record_restricted_call': {
      // A reviewer's record is a decision and always gets its line; the same call stored before is kept once.
      await tx
        .insert(restrictedCalls)
        .values({
          applicationId: app.id,
          at: command.at,
          operation: command.operation.trim(),
          recordedBy: actorId,
          recordedAt: now,
        })
        .onConflictDoNothing();
      const { latest, back } = restrictedCallNotice(callWatch(app), command.at, now, deps.policy);
      return {
        type: 'restricted_call.recorded',
        payload: restrictedCallPayload(command, back),
        applicationChanges: { lastRestrictedCallAt: latest, ...(back ? ACTIVE_AGAIN(now) : {}) },
      };
    }
    case 'schedule_audit': {
      const [before] = await tx.select().from(audits).where(eq(audits.applicationId, app.id)).orderBy(desc(audits.id)).limit(1);
      const auditor = command.auditor.trim();
      // A scheduled audit moves; after an outcome, a new audit is kept beside the earlier ones.
      if (before?.status === 'scheduled') {
        await tx
          .update(audits)
          .set({ auditor, scheduledFor: command.scheduledFor, scheduledBy: actorId })
          .where(eq(audits.id, before.id));
      } else {
        await tx
          .insert(audits)
          .values({ applicationId: app.id, auditor, scheduledFor: command.scheduledFor, scheduledBy: actorId });
      }
      const moved = before?.status === 'scheduled';
      return {
        type: 'audit.scheduled',
        payload: {
          auditor,
          scheduledFor: iso(command.scheduledFor),
          ...(moved ? { from: iso(before.scheduledFor) } : {}),
          ...(before && !moved
            ? { earlier: { status: before.status, auditor: before.auditor, scheduledFor: iso(before.scheduledFor) } }
            : {}),
        },
        applicationChanges: { auditStatus: 'scheduled' },
      };
    }
    case 'record_audit_outcome': {
      const [audit] = await tx
        .select()
        .from(audits)
        .where(and(eq(audits.applicationId, app.id), eq(audits.status, 'scheduled')))
        .orderBy(desc(audits.id))
        .limit(1);
      if (!audit) throw new Error(`application ${app.id} has no scheduled audit`);
      if (command.outcome !== 'remediation') {
        await tx.update(audits).set({ status: command.outcome, outcomeAt: now }).where(eq(audits.id, audit.id));
        return command.outcome === 'passed'
          ? { type: 'audit.passed', payload: { auditor: audit.auditor }, applicationChanges: { auditStatus: 'passed' } }
          : {
              type: 'audit.failed',
              // The thread line asks the admins to decide on a suspension.
              payload: { auditor: audit.auditor, admins: [...deps.roles.admins], access: accessOf(app) },
              applicationChanges: { auditStatus: 'failed' },
            };
      }
      const items = command.items.filter((i) => i.text.trim());
      await tx.update(audits).set({ status: 'remediation', outcomeAt: now }).where(eq(audits.id, audit.id));
      await tx.insert(remediationItems).values(items.map((i) => ({ auditId: audit.id, text: i.text.trim(), dueOn: i.dueOn })));
      return {
        type: 'audit.remediation_required',
        payload: { auditor: audit.auditor, items: items.map((i) => ({ text: i.text.trim(), dueOn: iso(i.dueOn) })) },
        applicationChanges: { auditStatus: 'remediation' },
      };
    }
    case 'close_remediation': {
      const [item] = await tx
        .update(remediationItems)
        .set({ closedAt: now, closedBy: actorId })
        .where(eq(remediationItems.id, command.itemId))
        .returning();
      if (!item) throw new Error(`remediation item ${command.itemId} not found`);
      const open = await tx
        .select({ id: remediationItems.id })
        .from(remediationItems)
        .where(and(eq(remediationItems.auditId, item.auditId), isNull(remediationItems.closedAt)));
      if (open.length === 0) await tx.update(audits).set({ status: 'passed', outcomeAt: now }).where(eq(audits.id, item.auditId));
      return {
        type: 'remediation.closed',
        payload: { itemId: item.id, text: item.text, auditPassed: open.length === 0 },
        applicationChanges: open.length === 0 ? { auditStatus: 'passed' } : {},
      };
    }
  }
}
