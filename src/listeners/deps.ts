import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../clock.ts';
import type { Policy, Roles } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Questionnaire } from '../questionnaire/questionnaire.ts';
import type { ReadCache } from '../reviews/read-cache.ts';
import type { TimeZones } from './time-zones.ts';

/** What every listener may use; built once in main and passed down, never imported as a singleton. */
export type ListenerDeps = {
  db: Db;
  clock: Clock;
  logger: Logger;
  roles: Roles;
  /** Where cards live; ephemeral notices about them go there. */
  reviewChannelId: string;
  /** The questionnaire sent from now on. */
  questionnaire: Questionnaire;
  policy: Policy;
  /** Called after a use case committed, so its queued Slack effects go out now. */
  onCommitted: () => void;
  /**
   * The bot's Web API client. Listeners call Slack through it rather than through Bolt's
   * per-request client (the same token, one workspace): every call is counted in the metrics,
   * and goes out as the outbox's do (src/http/slack-client.ts).
   */
  slack: WebClient;
  /** What this instance read when it opened a decision's modal (src/reviews/read-cache.ts). */
  readCache?: ReadCache;
  /** The architects' time zones, for a meeting's working hours, looked up off the ack's path. */
  timeZones: TimeZones;
};

export const SOMETHING_WENT_WRONG =
  ':warning: Something went wrong on our side and nothing was changed. Please try again in a moment; if it keeps happening, tell an admin.';
