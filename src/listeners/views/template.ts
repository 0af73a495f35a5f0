import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { TEMPLATE_MAX } from '../../../views/modals/admin.ts';
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

/** An admin saves a new version of the denial template. */
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
    try {
      const saved = await saveTemplate(deps, 'denial', text, user, `view:${view.id}`);
      await ack();
      const notice = `:white_check_mark: Denial template v${saved.version} saved; rejections from now on use it.`;
      await notifyPerson(deps, user, { text: notice });
    } catch (error) {
      if (error instanceof AlreadyHandled) return void (await ack());
      deps.logger.error({ err: error, user }, 'template save failed');
      await ack({ response_action: 'errors', errors: { body: SOMETHING_WENT_WRONG } });
    }
  });
}
