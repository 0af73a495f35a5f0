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
};

export type HistoryEntry = {
  id: number;
  type: string;
  actor: string;
  at: Date;
  payload: Record<string, unknown>;
};

export type Block = Record<string, unknown>;
export type MessageView = { text: string; blocks: Block[] };
