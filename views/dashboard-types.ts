import type { AccessStatus } from '../src/workflow/access.ts';
import type { Role } from '../src/workflow/roles.ts';
import type { Stage, Status } from '../src/workflow/states.ts';

/** The stages an open application can be in, in process order. */
export const OPEN_STAGES = ['business', 'security', 'architecture'] as const satisfies readonly Stage[];
export type OpenStage = (typeof OPEN_STAGES)[number];

/** Where an application's card lives, once posted. */
/** Where a card is; `permalink` from chat.getPermalink once the bot stored it. */
export type CardRef = { channel: string; ts: string; permalink?: string };

/** One application in a list: names and states only (no contact data, no security answers). */
export type ListItem = {
  id: number;
  organizationName: string;
  stage: Stage;
  status: Status;
  statusSince: Date;
  receivedAt: Date;
  assigneeId: string | null;
  architectId: string | null;
  version: number;
  card: CardRef | null;
  /** From cycle 2 on (a resubmission after a rejection or withdrawal). */
  cycle?: number;
  /** Restricted roles added to the approved application are under review. */
  roleReview?: boolean;
};

/** The first items of a list and how many there are in all, so a view never cuts silently. */
export type Slice<T> = { items: T[]; total: number };

export type QueuePage = {
  stage: OpenStage | null;
  offset: number;
  pageSize: number;
  total: number;
  items: ListItem[];
};

export type MeetingItem = {
  meetingId: number;
  applicationId: number;
  organizationName: string;
  architectId: string;
  startsAt: Date;
  durationMinutes: number;
  card: CardRef | null;
};

/** What waits on one person, by the roles they hold (a list is absent when the role is not held). */
export type MineModel = {
  userId: string;
  roles: Role[];
  assigned?: Slice<ListItem>;
  architect?: Slice<ListItem>;
  meetings?: Slice<MeetingItem>;
  unassigned?: Slice<ListItem>;
  /** Access at risk on the user's applications; for admins also every suspension. */
  access?: Slice<AccessItem>;
};

export type AuditItem = {
  applicationId: number;
  organizationName: string;
  productionSince: Date;
  dueOn: Date;
  audit: { status: string; auditor: string; scheduledFor: Date } | null;
  card: CardRef | null;
};

export type RemediationDue = {
  itemId: number;
  applicationId: number;
  organizationName: string;
  text: string;
  dueOn: Date;
  card: CardRef | null;
};

/** An application whose access is at risk or suspended. */
export type AccessItem = {
  applicationId: number;
  organizationName: string;
  status: AccessStatus;
  since: Date | null;
  reason: string | null;
  assigneeId: string | null;
  card: CardRef | null;
};

export type AuditsModel = {
  /** Never audited and AUDIT_AFTER_DAYS into production: an audit may come; nothing is overdue. */
  eligible: Slice<AuditItem>;
  /** Scheduled for a date still ahead. */
  scheduled: Slice<AuditItem>;
  /** Scheduled for a date that passed, no outcome recorded yet. */
  awaitingOutcome: Slice<AuditItem>;
  /** Open remediation items, soonest due first; how many are overdue. */
  remediation: Slice<RemediationDue>;
  remediationOverdue: number;
  atRisk: Slice<AccessItem>;
  suspended: Slice<AccessItem>;
};

export type StageDuration = { stage: OpenStage; count: number; medianMs: number | null; p90Ms: number | null };

export type StatsModel = {
  days: number;
  since: Date;
  until: Date;
  received: number;
  approved: number;
  rejected: number;
  /** Rejections by the stage they ended (Stage 1 business, 2 security, 3 architecture). */
  rejectedByStage?: Partial<Record<OpenStage, number>>;
  stages: StageDuration[];
  waitingOnDeveloper: { count: number; medianAgeMs: number | null; oldestAgeMs: number | null };
  /** After approval, now: access at risk and suspended; audits eligible, scheduled, awaiting an outcome; remediation overdue. */
  production?: {
    atRisk: number;
    suspended: number;
    auditsEligible: number;
    auditsScheduled: number;
    auditsAwaitingOutcome: number;
    remediationOverdue: number;
  };
};

export type TeamFigures = {
  open: number;
  unassigned: number;
  waitingOnDeveloper: number;
  byStage: Record<OpenStage, number>;
  receivedLast30Days: number;
  approvedLast30Days: number;
};

/** Why an application waits on the Home's owner. */
export type WaitingReason = 'assigned' | 'architect';

export type HomeModel = {
  userId: string;
  roles: Role[];
  now: Date;
  waitingOnYou: Slice<ListItem & { reason: WaitingReason }> | null;
  /** Present for those who may claim (reviewers, admins). */
  unassigned: Slice<ListItem> | null;
  meetings: Slice<MeetingItem> | null;
  /** Audits awaiting an outcome or scheduled within the horizon. */
  audits: Slice<AuditItem> | null;
  /** Access at risk and suspended, and audits eligible: counts and the first of each. */
  access?: { atRisk: Slice<AccessItem>; suspended: Slice<AccessItem>; eligible: number; remediationOverdue: number } | null;
  waitingOnDevelopers: Slice<ListItem> | null;
  figures: TeamFigures;
  /** Admins only: Slack effects parked by cause (src/jobs/parked.ts). */
  parked?: { cause: string; count: number }[] | null;
};
