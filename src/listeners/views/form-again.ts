import type { ModalView } from '../../../views/modals/kit.ts';
import { refilledForm, type SubmittedValues } from '../../../views/modals/refill.ts';
import type { Change } from '../../reviews/decide.ts';
import { reviewContextFrom } from '../../reviews/review-context.ts';
import { loadApplicationWithRows } from '../../reviews/workflow-state.ts';
import { rolesOf } from '../../workflow/roles.ts';
import { type CommandType, openRefusal } from '../../workflow/rules.ts';
import type { ListenerDeps } from '../deps.ts';
import { MODALS } from '../modals.ts';
import { shownBefore } from './review-pages.ts';
import { parseMeta } from './values.ts';

/**
 * A decision refused only because the application changed while its modal was open: when the
 * person may still take it on the application as it is now, the same modal built on that
 * version, with what they entered and what changed at its top, so nothing they typed is lost.
 * Undefined when the change leaves nothing for the modal to do (another reviewer decided, the
 * stage moved), changed what an input the person left untouched was filled in with, or the
 * modal cannot be built again: the conflict is then told as before.
 */
export async function formAgain(
  deps: ListenerDeps,
  args: {
    view: { callback_id: string; private_metadata?: string; blocks?: unknown };
    user: string;
    values: SubmittedValues;
    conflict: { at: Date; changes: Change[] };
  },
): Promise<ModalView | undefined> {
  const { view, user } = args;
  const meta = parseMeta(view.private_metadata);
  const build = MODALS[view.callback_id as CommandType];
  if (!meta || !build) return undefined;
  try {
    const read = await loadApplicationWithRows(deps.db, meta.id);
    if (!read) return undefined;
    const ctx = reviewContextFrom(read.app, read.rows, deps.policy.privateTrack);
    const type = view.callback_id as CommandType;
    if (openRefusal(ctx.state, type, { id: user, roles: rolesOf(deps.roles, user) })) return undefined;
    // The decision submitted from the rebuilt modal starts from what it shows, as from one opened from the card.
    deps.readCache?.remember({ app: read.app, rows: read.rows, rowVersion: read.rowVersion });
    const rebuilt = await build(ctx, deps, user, new Set(shownBefore(view.private_metadata)));
    return rebuilt ? refilledForm(rebuilt, args.values, args.conflict, view.blocks) : undefined;
  } catch (error) {
    deps.logger.warn({ err: error, user, callbackId: view.callback_id }, 'could not build a changed form again');
    return undefined;
  }
}
