import type { EmulatorState } from './state.ts';

export type Args = Record<string, unknown>;
export type MethodContext = { state: EmulatorState; now: number; baseUrl: string };
export type Method = (args: Args, ctx: MethodContext) => Record<string, unknown>;

/** A Slack `ok: false` answer. */
export class SlackApiError extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

export const str = (args: Args, key: string): string => {
  const value = args[key];
  if (typeof value !== 'string' || value === '') throw new SlackApiError(`invalid_arguments`);
  return value;
};
export const optStr = (args: Args, key: string): string | undefined =>
  typeof args[key] === 'string' && args[key] !== '' ? (args[key] as string) : undefined;
