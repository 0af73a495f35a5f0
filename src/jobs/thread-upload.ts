import type { WebClient } from '@slack/web-api';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type OutboxRow, outbox } from '../../db/schema.ts';
import type { Logger } from '../logger.ts';
import { slackErrorCode } from './slack-errors.ts';
import type { ThreadFile } from './thread-files.ts';

export type UploadDeps = { db: Db; slack: WebClient; logger: Logger; timeoutMs: number };

/** A thread holds a few dozen messages at most; one page of replies covers any retry. */
const REPLIES_LIMIT = 200;

/**
 * Whether the file was shared in the card's thread. Files carry no message metadata, but their
 * id is unique and known before sharing, so the id itself is the mark: nothing shown to people.
 */
async function sharedInThread(deps: UploadDeps, card: { channel: string; ts: string }, fileId: string): Promise<boolean> {
  const replies = await deps.slack.conversations
    .replies({ channel: card.channel, ts: card.ts, limit: REPLIES_LIMIT })
    .catch((error: unknown) => {
      // Slack refused the lookup itself (no history scope): a possible second copy beats a file never sent.
      if (slackErrorCode(error) === undefined) throw error;
      deps.logger.warn({ fileId, err: error }, 'cannot look for an earlier upload; uploading again');
      return undefined;
    });
  return (replies?.messages ?? []).some((m) => (m.files ?? []).some((f) => f.id === fileId));
}

/**
 * Uploads a file into the card's thread once. filesUploadV2 does getUploadURLExternal → upload
 * → completeUploadExternal in one call and loses the file id with a lost answer; doing the steps
 * here lets the id be stored on the effect before the file is shared, so a retry can look for it
 * (as posts are looked up by their metadata) instead of showing reviewers a second copy.
 */
export async function uploadOnce(
  deps: UploadDeps,
  item: OutboxRow,
  card: { channel: string; ts: string },
  file: ThreadFile,
): Promise<void> {
  if (item.fileId && item.attempts > 1 && (await sharedInThread(deps, card, item.fileId))) {
    deps.logger.info({ outboxId: item.id, kind: item.kind }, 'the file was already shared by an earlier attempt');
    return;
  }
  const bytes = Buffer.from(file.content, 'utf8');
  const slot = await deps.slack.files.getUploadURLExternal({ filename: file.filename, length: bytes.length });
  if (!slot.upload_url || !slot.file_id) throw new Error('files.getUploadURLExternal answered without upload_url and file_id');
  await deps.db.update(outbox).set({ fileId: slot.file_id }).where(eq(outbox.id, item.id));
  const uploaded = await fetch(slot.upload_url, {
    method: 'POST',
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
    signal: AbortSignal.timeout(deps.timeoutMs),
  });
  if (!uploaded.ok) throw new Error(`file upload answered HTTP ${uploaded.status}`);
  await deps.slack.files.completeUploadExternal({
    files: [{ id: slot.file_id, title: file.title }],
    channel_id: card.channel,
    thread_ts: card.ts,
  });
}
