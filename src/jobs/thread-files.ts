import type { WebClient } from '@slack/web-api';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type ApplicationRow, meetings } from '../../db/schema.ts';
import { type MeetingInvite, meetingInvite, type Person } from '../calendar/ics.ts';
import { questionnaireDocument } from '../questionnaire/questionnaire.ts';
import { sentQuestionnaire } from '../reviews/workflow-state.ts';

export type ThreadFile = { filename: string; title: string; content: string };

/** The questionnaire attachment, as sent to this application (its own version). */
export async function questionnaireFile(db: Db, app: ApplicationRow): Promise<ThreadFile> {
  const questionnaire = await sentQuestionnaire(db, app.questionnaireVersion);
  if (!questionnaire) throw new Error(`application ${app.id} has no questionnaire to attach`);
  return {
    filename: `pii-review-${app.id}-questionnaire-${questionnaire.version}.txt`,
    title: `Security questionnaire v${questionnaire.version} for #${app.id}`,
    content: questionnaireDocument(questionnaire, app),
  };
}

async function person(slack: WebClient, userId: string): Promise<Person | undefined> {
  const info = await slack.users.info({ user: userId });
  const email = info.user?.profile?.email;
  if (!email) return undefined;
  return { name: info.user?.real_name || info.user?.name || userId, email };
}

/**
 * The architecture review invite, built from the meeting as it is now: a reschedule sends the
 * same UID with a higher SEQUENCE, a cancellation a CANCEL, so calendars update one event.
 */
export async function inviteFile(
  db: Db,
  slack: WebClient,
  app: ApplicationRow,
  meetingId: number,
  stamp: Date,
): Promise<ThreadFile> {
  const [meeting] = await db.select().from(meetings).where(eq(meetings.id, meetingId));
  if (!meeting) throw new Error(`meeting ${meetingId} not found`);
  const attendeeIds = [...new Set([meeting.architectId, app.assigneeId, meeting.scheduledBy].filter((id): id is string => !!id))];
  const people = await Promise.all(attendeeIds.map((id) => person(slack, id)));
  const organizer = (await person(slack, meeting.scheduledBy)) ?? { name: 'pii-review', email: 'pii-review@localhost' };
  const cancelled = meeting.status === 'cancelled';
  const invite: MeetingInvite = {
    uid: `arch-review-${meeting.id}@pii-review`,
    sequence: meeting.sequence,
    method: cancelled ? 'CANCEL' : 'REQUEST',
    start: meeting.startsAt,
    durationMinutes: meeting.durationMinutes,
    summary: `Architecture review: #${app.id} ${app.organizationName}`,
    description: meeting.agenda,
    organizer,
    attendees: people.filter((p): p is Person => p !== undefined),
    stamp,
  };
  return {
    filename: `pii-review-${app.id}-architecture-review${cancelled ? '-cancelled' : ''}.ics`,
    title: `${cancelled ? 'Cancelled: ' : ''}Architecture review invite for #${app.id}`,
    content: meetingInvite(invite),
  };
}
