import type { ProfileSummary } from './cpu.ts';

/** What the bench sends, as Slack (or the intake integration) would. */
export type RequestSpec =
  | { kind: 'intake'; body: Record<string, unknown> }
  | { kind: 'command'; user: string; text: string }
  | { kind: 'submit'; user: string; viewId: string; values: Record<string, unknown> }
  | { kind: 'click'; user: string; appId: number; actionId: string };

export type LoadResult = {
  /** Per request, in spec order: ms from send to the whole answer read. */
  latencies: number[];
  /** HTTP status per request; -1 when the request failed outright. */
  statuses: number[];
  wallMs: number;
  /** Epoch ms when the first request went out. */
  startedAt: number;
};

export type FaultRates = { rateLimited: number; serverError: number; retryAfter: number };

export type PacingCheck = {
  byMethod: Record<string, { ok: number; rateLimited: number; serverError: number; other: number }>;
  /** Expected thread posts (`thread_ts|text`) that arrived exactly once. */
  threadOnce: number;
  threadMissing: number;
  threadDuplicated: number;
  threadUnexpected: number;
  distinctThreadPosts: number;
  /** Cards whose successful chat.update count equals the card.sync rows queued for them. */
  updatesExact: number;
  updatesWrong: number;
  updatesTotal: number;
  maxPostsPerChannelPerSecond: number;
  maxAttemptsPerChannelPerSecond: number;
};

/** The worker's API; every call crosses the thread boundary as structured-cloned data. */
export type SlackSide = {
  /** Kernel thread ids of the Slack side's threads, by name, so CPU can be told apart (bench/cpu.ts). */
  threads?: Record<string, number | undefined>;
  start(): Promise<{ url: string; apiUrl: string }>;
  target(args: { botUrl: string; intakeUrl: string; intakeToken: string; signingSecret: string }): Promise<void>;
  intake(args: { bodies: Record<string, unknown>[] }): Promise<number[]>;
  openModals(args: { items: { user: string; appId: number; actionId: string }[] }): Promise<string[]>;
  submit(args: { user: string; viewId: string; values: Record<string, unknown> }): Promise<{ status: number; text: string }>;
  load(args: { specs: RequestSpec[]; concurrency: number }): Promise<LoadResult>;
  mark(): Promise<number>;
  waitCalls(args: {
    method: string;
    since: number;
    count: number;
    timeoutMs: number;
  }): Promise<{ calls: number; ok: number; errors: string[] }>;
  lastCallAt(args: { since: number }): Promise<number>;
  faults(rates: FaultRates): Promise<void>;
  pacing(args: { since: number; expectedThread: string[]; expectedUpdates: Record<string, number> }): Promise<PacingCheck>;
  /** The emulator's thread under the sampling profiler, from profileStart to profileStop. */
  profileStart(): Promise<void>;
  profileStop(): Promise<ProfileSummary>;
  close(): Promise<void>;
};

/** The emulator's thread: everything but sending the measured requests, which it plans and builds. */
export type EmulatorSide = Omit<SlackSide, 'load' | 'threads'> & {
  /** The measured requests of the next load; the load generator asks for them, built, as it goes. */
  plan(args: { specs: RequestSpec[] }): Promise<void>;
};

/** The load generator's thread: sends the planned requests and times their answers. */
export type LoadSide = {
  load(args: { count: number; concurrency: number }): Promise<LoadResult>;
};
