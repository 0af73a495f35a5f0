import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { staleTemplateError, TEMPLATE_MAX } from '../../../views/modals/admin.ts';
import { CALLBACKS } from '../../../views/modals/kit.ts';
import { refusalNotice } from '../../../views/notices.ts';
import { AlreadyHandled } from '../../reviews/processed.ts';
import { saveTemplate } from '../../reviews/templates.ts';
import { rolesOf } from '../../workflow/roles.ts';
import { type ListenerDeps, SOMETHING_WENT_WRONG } from '../deps.ts';
import { notifyPerson } from '../notify.ts';
import type { Routes } from '../routes.ts';
import { FormReader, shownValues } from './values.ts';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** How long a refused save waits for Slack to name the admin who saved meanwhile (the ack has 3 s). */
export const NAME_WAIT_MS = 1_000;

const templateMeta = z.object({ v: z.number().int().positive() });

/** The version the modal was opened on; undefined when forged or missing. */
function seenVersion(raw: string | undefined): number | undefined {
  try {
    const parsed = templateMeta.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data.v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A person's name as Slack shows it, for a field error (a bare string, not an mrkdwn text
 * object, so no mention there); "another admin" when Slack does not answer within `NAME_WAIT_MS`.
 */
async function nameOf(deps: ListenerDeps, userId: string): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), NAME_WAIT_MS);
  });
  try {
    const info = await Promise.race([deps.slack.users.info({ user: userId }), late]);
    const user = info?.user;
    return user?.profile?.display_name || user?.real_name || user?.name || 'another admin';
  } catch (error) {
    deps.logger.warn({ err: error, user: userId }, 'could not read a user’s name');
    return 'another admin';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * An admin saves a new version of the denial template, made from the version the modal showed:
 * when another admin saved one meanwhile, nothing is saved and the form stays open with its text,
 * saying who saved which version.
 */
export function registerTemplateView(routes: Routes, deps: ListenerDeps): void {
  routes.view(CALLBACKS.editTemplate, async ({ ack, view, body }: Args) => {
    const user = body.user.id;
    const form = new FormReader(shownValues(view));
    const text = form.text('body', { required: true, max: TEMPLATE_MAX });
    if (!form.ok) return void (await ack({ response_action: 'errors', errors: form.errors }));
    if (!rolesOf(deps.roles, user).has('admin')) {
      await ack();
      await notifyPerson(deps, user, refusalNotice('Only an admin can edit templates.'));
      return;
    }
    const seen = seenVersion(view.private_metadata);
    if (seen === undefined) {
      const error = 'This form does not say which version it edits: run /pii template denial to edit the current one.';
      return void (await ack({ response_action: 'errors', errors: { body: error } }));
    }
    try {
      const result = await saveTemplate(deps, 'denial', text, user, { seenVersion: seen, requestKey: `view:${view.id}` });
      if (result.kind === 'stale') {
        const { current } = result;
        const by = current.by === null ? 'another admin' : current.by === user ? 'you' : await nameOf(deps, current.by);
        const error = staleTemplateError({ seenVersion: seen, current: current.version, by });
        return void (await ack({ response_action: 'errors', errors: { body: error } }));
      }
      await ack();
      const notice = `:white_check_mark: Denial template v${result.template.version} saved; rejections from now on use it.`;
      await notifyPerson(deps, user, { text: notice });
    } catch (error) {
      if (error instanceof AlreadyHandled) return void (await ack());
      deps.logger.error({ err: error, user }, 'template save failed');
      await ack({ response_action: 'errors', errors: { body: SOMETHING_WENT_WRONG } });
    }
  });
}
