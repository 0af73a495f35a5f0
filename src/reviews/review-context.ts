import type { DbOrTx } from '../../db/client.ts';
import type { ApplicationSummary } from '../../views/types.ts';
import type { WorkflowState } from '../workflow/rules.ts';
import type { TrackSettings } from '../workflow/tracks.ts';
import { toSummary } from './queries.ts';
import { loadApplicationWithRows, type ReviewRows, workflowStateFrom } from './workflow-state.ts';

export type ReviewContext = ReviewRows & { application: ApplicationSummary; state: WorkflowState };

/** What a reviewer's modal needs to show about an application: one query. */
export async function loadReviewContext(
  db: DbOrTx,
  id: number,
  privateTrack?: TrackSettings,
): Promise<ReviewContext | undefined> {
  const loaded = await loadApplicationWithRows(db, id);
  if (!loaded) return undefined;
  const { app, rows } = loaded;
  return { ...rows, application: toSummary(app), state: workflowStateFrom(app, rows, privateTrack) };
}
