import { STAGE_LABELS, STATUS_LABELS, type Stage } from '../../src/workflow/states.ts';
import { truncate } from '../format.ts';
import type { ApplicationSummary } from '../types.ts';
import { about, CALLBACKS, context, modal, textInput, userInput } from './kit.ts';

export const REASON_MAX = 2000;
export const TEMPLATE_MAX = 3000;

export function assignModal(app: ApplicationSummary) {
  return modal({
    callbackId: CALLBACKS.assign,
    title: 'Assign',
    submit: 'Assign',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      userInput('assignee', 'Reviewer', { initial: app.assigneeId, hint: 'Must hold the reviewer or admin role.' }),
    ],
  });
}

/** Withdraw, or reopen (`reopensAt`: the stage a reopened application goes back to). */
export function reasonModal(app: ApplicationSummary, kind: 'withdraw' | 'reopen', reopensAt: Stage = 'business') {
  const withdraw = kind === 'withdraw';
  return modal({
    callbackId: withdraw ? CALLBACKS.withdraw : CALLBACKS.reopen,
    title: withdraw ? 'Withdraw application' : 'Reopen application',
    submit: withdraw ? 'Withdraw' : 'Reopen',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      context(
        `Now: ${STAGE_LABELS[app.stage]}, ${STATUS_LABELS[app.status]}.${withdraw ? ' Withdrawn is final.' : ` It goes back to ${STAGE_LABELS[reopensAt]}, in review.`}`,
      ),
      textInput('reason', withdraw ? 'Why is it withdrawn?' : 'Why is it reopened?', {
        multiline: true,
        max: REASON_MAX,
        hint: 'Kept in the history for the audit.',
      }),
    ],
  });
}

export function templateModal(template: { version: number; body: string }) {
  return modal({
    callbackId: CALLBACKS.editTemplate,
    title: 'Denial template',
    submit: 'Save new version',
    meta: { v: template.version },
    blocks: [
      context(
        `Current version: v${template.version}. Saving makes v${template.version + 1}; rejections record the version they used.`,
      ),
      textInput('body', 'General denial text', { multiline: true, initial: template.body, max: TEMPLATE_MAX }),
    ],
  });
}

/**
 * The field error of a save refused because another admin saved a version after the one the
 * form was opened on (a bare string, not mrkdwn: the person is named, not mentioned). The form keeps the
 * admin's text; it can only make a version from the one it shows, so they open it anew.
 */
export function staleTemplateError(args: { seenVersion: number; current: number; by: string }): string {
  return `Not saved: ${truncate(args.by, 80)} saved v${args.current} while you were editing v${args.seenVersion}. Your text is still here: copy it, close this form and run /pii template denial to edit v${args.current}.`;
}
