import type { App, BlockButtonAction } from '@slack/bolt';
import { CARD_ACTIONS } from '../../views/card.ts';
import { COMMAND } from '../../views/help.ts';
import { cardStatusAction } from './actions/card-status.ts';
import { piiCommand } from './commands/pii.ts';
import type { ListenerDeps } from './deps.ts';

/** Binds ids to handlers; nothing else lives here. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, piiCommand(deps));
  app.action<BlockButtonAction>(CARD_ACTIONS.showStatus, cardStatusAction(deps));
}
