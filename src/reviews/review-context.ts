import type { DbOrTx } from '../../db/client.ts';
import type { ApplicationRow } from '../../db/schema.ts';
import type { ApplicationSummary } from '../../views/types.ts';
import type { Roles } from '../config.ts';
import type { Submission } from '../intake/application.ts';
import { rolesOf } from '../workflow/roles.ts';
import type { WorkflowState } from '../workflow/rules.ts';
import type { TrackSettings } from '../workflow/tracks.ts';
import { mayReadContact } from '../workflow/visibility.ts';
import { toSummary } from './queries.ts';
import { loadApplicationWithRows, type ReviewRows, workflowStateFrom } from './workflow-state.ts';

export type ReviewContext = ReviewRows & {
  application: ApplicationSummary;
  state: WorkflowState;
  /** Private text a decision modal shows inline (never posted): reviewers judge it there. */
  profile: Pick<Submission, 'useCase' | 'businessDescription' | 'securityAnswers'>;
};

/** What a reviewer's modal needs to show about an application: one query. */
export async function loadReviewContext(
  db: DbOrTx,
  id: number,
  privateTrack?: TrackSettings,
): Promise<ReviewContext | undefined> {
  const loaded = await loadApplicationWithRows(db, id);
  return loaded ? reviewContextFrom(loaded.app, loaded.rows, privateTrack) : undefined;
}

/** The context of an application already read with its review rows (as a decision locks them). */
export function reviewContextFrom(app: ApplicationRow, rows: ReviewRows, privateTrack?: TrackSettings): ReviewContext {
  const { useCase, businessDescription, securityAnswers } = app.submission as Submission;
  return {
    ...rows,
    application: toSummary(app),
    state: workflowStateFrom(app, rows, privateTrack),
    // Absent once retention purged it (a reopened application): the modal shows a dash.
    profile: { useCase: useCase ?? '', businessDescription, securityAnswers },
  };
}

/** Whether `viewer` may read this application's contact data, contact answers included (DOMAIN.md). */
export function contactVisibleTo(ctx: ReviewContext, roles: Roles, viewer: string): boolean {
  return mayReadContact({ id: viewer, roles: rolesOf(roles, viewer) }, ctx.state);
}
