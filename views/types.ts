import type { KnownBlock } from '@slack/types';
import type { AccessStatus } from '../src/workflow/access.ts';
import type { Severity } from '../src/workflow/controls.ts';
import type { CommandType } from '../src/workflow/rules.ts';
import type { Stage, Status } from '../src/workflow/states.ts';

/** What views may know of an application: no contact data, no security answers. */
export type ApplicationSummary = {
  id: number;
  profileId: string;
  organizationName: string;
  website: string;
  country?: string;
  developerType: 'public' | 'private';
  roles: string[];
  marketplaces: string[];
  launchReadiness: string;
  submittedAt: Date;
  receivedAt: Date;
  stage: Stage;
  status: Status;
  statusSince: Date;
  assigneeId: string | null;
  version: number;
  /** Stage 2: how many times the developer was asked for more information. */
  infoRounds: number;
  architectId: string | null;
  productionSince: Date | null;
  /** The review cycle (1 unless a rejected or withdrawn application was resubmitted). */
  cycle?: number;
  /** Restricted roles added to the approved application are under review. */
  roleReview?: boolean;
};

export type HistoryEntry = {
  id: number;
  type: string;
  actor: string;
  at: Date;
  payload: Record<string, unknown>;
};

/** Slack's own block types, so the compiler refuses a misplaced element or mrkdwn where plain_text is required. */
export type Block = KnownBlock;
export type MessageView = { text: string; blocks: Block[] };

/** The card's view of an application: the summary plus where the review stands and what can be done now. */
export type CardModel = ApplicationSummary & {
  openGaps: number;
  gapsBySeverity: Partial<Record<Severity, number>>;
  questionnaire: { version: string; total: number; answered: number; accepted: number; toReview: number } | null;
  /** The commands the workflow allows in this state: the card shows exactly these. */
  commands: CommandType[];
  /** Which criteria and steps apply (public when absent). */
  track?: 'public' | 'private';
  /** Stage 3. */
  meeting: { startsAt: Date; durationMinutes: number; architectId: string; status: string } | null;
  openQuestions: number;
  /** After approval. */
  approvedAt: Date | null;
  restrictedCallDueBy: Date | null;
  lastRestrictedCallAt: Date | null;
  productionSince: Date | null;
  /** Eligible for an audit from this day (AUDIT_AFTER_DAYS after go-live): nothing is overdue then. */
  auditDueOn: Date | null;
  /** The latest audit, and how many the application has had. */
  audit: { status: string; auditor: string; scheduledFor: Date } | null;
  auditCount?: number;
  /** Approved in this life and not closed (a role review may be in flight). */
  productionLife?: boolean;
  /** Restricted access after approval, and since when; the reason of a suspension or of the risk. */
  access?: { status: AccessStatus; since: Date | null; reason: string | null; atRiskNotice?: boolean } | null;
  openRemediation: { text: string; dueOn: Date }[];
  /** How the previous cycle ended, with the link to its outcome line in the thread (cycle 2 and later). */
  previousCycle?: { number: number; outcome: string | null; endedAtStage: string | null; permalink: string | null } | null;
  /** Once approved: each restricted role and its status (approved, under_review, denied, removed). */
  roleStatuses?: { role: string; status: string }[];
};
