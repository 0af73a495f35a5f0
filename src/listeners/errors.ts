import type { ExtendedErrorHandlerArgs } from '@slack/bolt/dist/App.js';
import type { Logger } from '../logger.ts';
import { SOMETHING_WENT_WRONG } from './deps.ts';

/**
 * Last resort for errors a listener did not handle: logged with what identifies the request
 * (never its body: it may hold developer data), and the user is told, not left guessing.
 */
export async function reportError({ error, body }: ExtendedErrorHandlerArgs, logger: Logger): Promise<void> {
  const b = (body ?? {}) as Record<string, unknown>;
  const user = (b.user as { id?: string } | undefined)?.id ?? (b.user_id as string | undefined);
  const type = (b.type as string | undefined) ?? (b.command ? 'slash_command' : undefined);
  const original = (error as { original?: unknown }).original ?? error;
  logger.error({ err: original, code: error.code, requestType: type, user }, 'unhandled error in a Slack listener');
  const responseUrl =
    (b.response_url as string | undefined) ?? (b.response_urls as { response_url?: string }[] | undefined)?.[0]?.response_url;
  if (!responseUrl) return;
  await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: SOMETHING_WENT_WRONG }),
  }).catch((e: unknown) => logger.warn({ err: e }, 'could not tell the user about the error'));
}
