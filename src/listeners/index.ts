import type { App, BlockButtonAction, BlockOverflowAction } from '@slack/bolt';
import { CARD_ACTIONS, cardActionId } from '../../views/card.ts';
import { CYCLE_ACTIONS } from '../../views/cycles.ts';
import { COMMAND } from '../../views/help.ts';
import { HOME_OPEN_CARD_ACTION } from '../../views/home.ts';
import { ACCEPT_ALL_ACTION } from '../../views/modals/stage2.ts';
import { SUBMISSION_ACTIONS } from '../../views/modals/submission.ts';
import { QUEUE_PAGE_ACTION } from '../../views/queue.ts';
import { HOME_RETRY_PARKED_ACTION } from '../../views/slack-alerts.ts';
import type { CommandType } from '../workflow/rules.ts';
import { adminOverflow, directButton, modalButton, OVERFLOW_COMMANDS } from './actions/card-commands.ts';
import { cardStatusAction } from './actions/card-status.ts';
import { earlierCyclesAction } from './actions/earlier-cycles.ts';
import { retryParkedClicked } from './actions/retry-parked.ts';
import { submissionPageAction, viewSubmissionAction } from './actions/submission.ts';
import { piiCommand, queuePageAction } from './commands/pii.ts';
import type { ListenerDeps } from './deps.ts';
import { homeOpened, openCardClicked } from './events/home.ts';
import { MODALS } from './modals.ts';
import { createRoutes } from './routes.ts';
import { registerDecisionViews } from './views/decisions.ts';
import { registerNewApplicationView } from './views/new-application.ts';
import { acceptAllRemaining } from './views/review-pages.ts';
import { registerTemplateView } from './views/template.ts';

/** Binds ids to handlers; nothing else lives here. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const routes = createRoutes(deps.logger);
  app.command(COMMAND, piiCommand(deps));
  routes.action<BlockButtonAction>(CARD_ACTIONS.showStatus, cardStatusAction(deps));
  routes.action<BlockButtonAction>(CYCLE_ACTIONS.earlier, earlierCyclesAction(deps));
  routes.action<BlockButtonAction>(SUBMISSION_ACTIONS.open, viewSubmissionAction(deps));
  routes.action<BlockButtonAction>(SUBMISSION_ACTIONS.previous, submissionPageAction(deps));
  routes.action<BlockButtonAction>(SUBMISSION_ACTIONS.next, submissionPageAction(deps));
  routes.action<BlockOverflowAction>(CARD_ACTIONS.admin, adminOverflow(deps));
  for (const command of ['claim', 'send_questionnaire', 'pass_security'] as const) {
    routes.action<BlockButtonAction>(cardActionId(command), directButton(deps, command));
  }
  // The ⋯ menu's commands have no buttons of their own, except Suspend access, which a failed audit puts at hand.
  const overflowOnly: readonly CommandType[] = OVERFLOW_COMMANDS.filter((c) => c !== 'suspend_access');
  for (const command of (Object.keys(MODALS) as CommandType[]).filter((c) => !overflowOnly.includes(c))) {
    routes.action<BlockButtonAction>(cardActionId(command), modalButton(deps, command));
  }
  registerDecisionViews(routes, deps);
  routes.action<BlockButtonAction>(ACCEPT_ALL_ACTION, acceptAllRemaining(deps));
  registerTemplateView(routes, deps);
  routes.action<BlockButtonAction>(QUEUE_PAGE_ACTION, queuePageAction(deps));
  app.event('app_home_opened', homeOpened(deps));
  routes.action<BlockButtonAction>(HOME_OPEN_CARD_ACTION, openCardClicked());
  routes.action<BlockButtonAction>(HOME_RETRY_PARKED_ACTION, retryParkedClicked(deps));
  registerNewApplicationView(routes, deps);
  routes.mount(app);
}
