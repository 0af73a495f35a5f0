import { denialReasons, developerMessages } from '../../../db/schema.ts';
import type { Denial } from '../../workflow/rules.ts';
import { currentTemplate } from '../templates.ts';
import type { Details, Write } from './types.ts';

/**
 * A denial after Stage 1: the text as sent (kind `denial`, like Stage 1's, so webhooks carry it)
 * and the internal reason in its own table. The event names the stage and the area only: the
 * free note never reaches the thread, a webhook or an export.
 */
export async function applyDenial(
  { tx, app, actorId, now }: Write,
  command: Denial,
  type: 'security.rejected' | 'review.rejected',
): Promise<Details> {
  const template = await currentTemplate(tx, 'denial');
  const body = command.denialText.trim();
  await tx.insert(developerMessages).values({
    applicationId: app.id,
    cycle: app.cycle,
    kind: 'denial',
    body,
    templateVersion: template.version,
    sentBy: actorId,
    sentAt: now,
  });
  const note = command.reason.note?.trim() || null;
  await tx.insert(denialReasons).values({
    applicationId: app.id,
    cycle: app.cycle,
    stage: app.stage,
    area: command.reason.area ?? null,
    note,
    recordedBy: actorId,
    recordedAt: now,
  });
  return {
    type,
    payload: {
      rejectedAtStage: app.stage,
      // The general text as sent names no reason and no developer data: reviewers see it in the thread.
      denialText: body,
      templateVersion: template.version,
      denialEdited: body !== template.body.trim(),
      ...(command.reason.area ? { reasonArea: command.reason.area } : {}),
      reasonNoted: note !== null,
    },
  };
}
