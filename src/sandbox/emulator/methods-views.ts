import { blockKitProblems } from '../../../views/validate.ts';
import { type Args, type Method, type MethodContext, optStr, SlackApiError, str } from './call.ts';
import type { StoredView } from './state.ts';

/** Slack's trigger ids are valid 3 seconds and once. */
const TRIGGER_TTL_MS = 3_000;

function useTrigger(ctx: MethodContext, args: Args): string {
  const triggerId = str(args, 'trigger_id');
  const trigger = ctx.state.triggers.get(triggerId);
  if (!trigger) throw new SlackApiError('invalid_trigger_id');
  ctx.state.triggers.delete(triggerId);
  if (ctx.now - trigger.issuedAt > TRIGGER_TTL_MS) throw new SlackApiError('expired_trigger_id');
  return trigger.user;
}

function viewOf(args: Args): Record<string, unknown> {
  const view = args.view;
  if (view === null || typeof view !== 'object') throw new SlackApiError('invalid_arguments');
  return view as Record<string, unknown>;
}

function storeView(ctx: MethodContext, user: string, view: Record<string, unknown>, extra: Partial<StoredView>): StoredView {
  const type = view.type === 'home' ? 'home' : 'modal';
  const problems = blockKitProblems(type, view);
  const id = extra.id ?? ctx.state.nextId('V');
  const stored: StoredView = {
    id,
    type,
    user,
    view,
    hash: ctx.state.nextId('h'),
    rootViewId: extra.rootViewId ?? id,
    ...(extra.previousViewId ? { previousViewId: extra.previousViewId } : {}),
    problems,
  };
  ctx.state.views.set(id, stored);
  ctx.state.emit('change', { type: 'view', user, viewId: id, viewType: type });
  return stored;
}

const viewResponse = (v: StoredView) => ({
  view: { ...v.view, id: v.id, hash: v.hash, root_view_id: v.rootViewId, previous_view_id: v.previousViewId ?? null },
  ...(v.problems.length > 0 ? { warnings: v.problems } : {}),
});

function modalStackDepth(ctx: MethodContext, rootViewId: string): number {
  return [...ctx.state.views.values()].filter((v) => v.rootViewId === rootViewId).length;
}

/** views.open, .push, .update and .publish: modals and the App Home. */
export const VIEW_METHODS: Record<string, Method> = {
  'views.open': (args, ctx) => {
    const user = useTrigger(ctx, args);
    return viewResponse(storeView(ctx, user, viewOf(args), {}));
  },

  'views.push': (args, ctx) => {
    const user = useTrigger(ctx, args);
    const top = [...ctx.state.views.values()].reverse().find((v) => v.user === user && v.type === 'modal');
    if (!top) throw new SlackApiError('view_not_found');
    if (modalStackDepth(ctx, top.rootViewId) >= 3) throw new SlackApiError('push_limit_reached');
    return viewResponse(storeView(ctx, user, viewOf(args), { rootViewId: top.rootViewId, previousViewId: top.id }));
  },

  'views.update': (args, ctx) => {
    const id = optStr(args, 'view_id') ?? [...ctx.state.views.values()].find((v) => v.view.external_id === args.external_id)?.id;
    const existing = id ? ctx.state.views.get(id) : undefined;
    if (!existing) throw new SlackApiError('not_found');
    if (typeof args.hash === 'string' && args.hash !== existing.hash) throw new SlackApiError('hash_conflict');
    return viewResponse(storeView(ctx, existing.user, viewOf(args), { ...existing, id: existing.id }));
  },

  'views.publish': (args, ctx) => {
    const user = str(args, 'user_id');
    if (!ctx.state.users.has(user)) throw new SlackApiError('user_not_found');
    const view = viewOf(args);
    if (view.type !== 'home') throw new SlackApiError('invalid_arguments');
    const existing = [...ctx.state.views.values()].find((v) => v.type === 'home' && v.user === user);
    return viewResponse(storeView(ctx, user, view, existing ? { id: existing.id } : {}));
  },
};
