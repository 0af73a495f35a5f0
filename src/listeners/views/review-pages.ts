import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { ModalView } from '../../../views/modals/kit.ts';
import { reviewAnswersModal, reviewableAnswers } from '../../../views/modals/stage2.ts';
import { conflictNotice, missingNotice, refusalNotice } from '../../../views/notices.ts';
import type { MessageView } from '../../../views/types.ts';
import { applyDecision } from '../../reviews/decide.ts';
import { contactVisibleTo, loadReviewContext } from '../../reviews/review-context.ts';
import { pendingAnswers } from '../../workflow/rules.ts';
import { type ListenerDeps, SOMETHING_WENT_WRONG } from '../deps.ts';
import { notifyPerson } from '../notify.ts';
import { parseMeta } from './values.ts';

const doneSchema = z.object({ done: z.array(z.string().max(50)).max(500).optional() });

export function shownBefore(privateMetadata: string | undefined): string[] {
  try {
    const parsed = doneSchema.safeParse(JSON.parse(privateMetadata ?? ''));
    return parsed.success ? (parsed.data.done ?? []) : [];
  } catch {
    return [];
  }
}

/**
 * After a page of Review answers is recorded: the next page (answers not shown yet), or
 * nothing when every reviewable answer was shown, so the modal closes.
 */
export async function nextReviewPage(
  deps: ListenerDeps,
  view: { private_metadata?: string; blocks?: unknown },
  viewer: string,
): Promise<ModalView | undefined> {
  try {
    return await nextPage(deps, view, viewer);
  } catch (error) {
    // The page is recorded; without a next page the modal simply closes.
    deps.logger.warn({ err: error }, 'could not build the next page of Review answers');
    return undefined;
  }
}

async function nextPage(
  deps: ListenerDeps,
  view: { private_metadata?: string; blocks?: unknown },
  viewer: string,
): Promise<ModalView | undefined> {
  const meta = parseMeta(view.private_metadata);
  if (!meta) return undefined;
  // What this page showed, from the view itself: the submission carries values only for some inputs.
  const blocks = (Array.isArray(view.blocks) ? view.blocks : []) as { block_id?: unknown }[];
  const shown = blocks.flatMap((b) =>
    typeof b.block_id === 'string' && b.block_id.startsWith('verdict.') ? [b.block_id.slice('verdict.'.length)] : [],
  );
  const done = new Set([...shownBefore(view.private_metadata), ...shown]);
  const ctx = await loadReviewContext(deps.db, meta.id, deps.policy.privateTrack);
  if (!ctx?.questionnaire) return undefined;
  const left = reviewableAnswers(ctx.answers).filter((a) => !done.has(a.questionId));
  if (left.length === 0 || ctx.state.stage !== 'security' || ctx.state.status !== 'in_review') return undefined;
  return reviewAnswersModal(ctx.application, ctx.questionnaire, ctx.answers, contactVisibleTo(ctx, deps.roles, viewer), done);
}

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * "Accept all remaining" inside Review answers (after Slack's confirm): every answer still
 * pending is accepted in one decision against the version the modal was opened on; the
 * modal then shows what is left to re-judge, or says it is done.
 */
export function acceptAllRemaining(deps: ListenerDeps) {
  return async ({ ack, body }: ButtonArgs): Promise<void> => {
    const user = body.user.id;
    const tell = (notice: MessageView) => notifyPerson(deps, user, notice);
    const meta = parseMeta(body.view?.private_metadata);
    const viewId = body.view?.id;
    if (!meta || !viewId) {
      await ack();
      return void (await tell(refusalNotice('This button does not belong to an application.')));
    }
    // Like a card button that decides: the decision commits before the click is acknowledged,
    // so an acknowledged click is never lost (milliseconds, far inside Slack's 3 seconds).
    let result: Awaited<ReturnType<typeof applyDecision>> | undefined;
    let accepted = 0;
    try {
      const ctx = await loadReviewContext(deps.db, meta.id, deps.policy.privateTrack);
      if (ctx) {
        const reviews = pendingAnswers(ctx.state).map((questionId) => ({ questionId, verdict: 'accept' as const }));
        accepted = reviews.length;
        result = await applyDecision(deps, {
          applicationId: meta.id,
          seenVersion: meta.v,
          actorId: user,
          command: { type: 'review_answers', reviews },
          requestKey: `accept-all:${viewId}:${meta.v}`,
        });
      }
    } catch (error) {
      deps.logger.error({ err: error, user }, 'accept all remaining failed');
      await ack();
      return void (await tell({ text: SOMETHING_WENT_WRONG, blocks: [] }));
    }
    await ack();
    if (!result || result.kind === 'not_found') return void (await tell(missingNotice(meta.id)));
    if (result.kind === 'refused') return void (await tell(refusalNotice(result.refusal.message)));
    if (result.kind === 'conflict') return void (await tell(conflictNotice(result)));
    if (result.kind === 'duplicate') return;
    deps.onCommitted();
    try {
      const after = await loadReviewContext(deps.db, meta.id, deps.policy.privateTrack);
      const next =
        after?.questionnaire && reviewableAnswers(after.answers).length > 0
          ? reviewAnswersModal(after.application, after.questionnaire, after.answers, contactVisibleTo(after, deps.roles, user))
          : undefined;
      await deps.slack.views.update({ view_id: viewId, view: next ?? acceptedView(accepted) });
    } catch (error) {
      // The answers are accepted; only the modal kept its old page.
      deps.logger.warn({ err: error, user }, 'could not update the Review answers modal');
    }
  };
}

function acceptedView(count: number): ModalView {
  return {
    type: 'modal',
    callback_id: 'review_answers.done',
    title: { type: 'plain_text', text: 'Review answers' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Accepted ${count} answer(s). Nothing else waits for review.` } }],
  } as ModalView;
}
