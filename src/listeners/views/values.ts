import { z } from 'zod';
import { VALUE } from '../../../views/modals/kit.ts';
import type { Submitted, SubmittedValues } from '../../../views/modals/refill.ts';
import { unstorableText } from '../../intake/application.ts';

/** `view.state.values` as Slack sends it: block id → action id → the element's state. */
export type StateValues = SubmittedValues;

/** A picker's value a person could have chosen: a real date between 2000 and 2100. */
const plausible = (d: Date) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2100;

const metaSchema = z.object({ id: z.number().int().positive(), v: z.number().int().positive() });

/**
 * The values of the inputs the view shows, and only those. A forged submission may carry
 * others; reading them could put an error under a block the view lacks, and Slack refuses
 * such a reply ("We had some trouble connecting") instead of showing any error.
 */
export function shownValues(view: { blocks?: unknown; state: { values: unknown } }): StateValues {
  const values = (view.state.values ?? {}) as StateValues;
  const shown = new Set(
    (Array.isArray(view.blocks) ? (view.blocks as { type?: unknown; block_id?: unknown }[]) : [])
      .filter((b) => b?.type === 'input' && typeof b.block_id === 'string')
      .map((b) => b.block_id as string),
  );
  return Object.fromEntries(Object.entries(values).filter(([blockId]) => shown.has(blockId)));
}

/** The application id and version a modal was opened on; undefined when forged or missing. */
export function parseMeta(raw: string | undefined): { id: number; v: number } | undefined {
  try {
    const parsed = metaSchema.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a modal's inputs and collects field errors the way Slack shows them (under the
 * input), so every listener validates the same way: required, length, allowed choices.
 */
export class FormReader {
  readonly errors: Record<string, string> = {};
  constructor(readonly values: StateValues) {}

  private element(blockId: string): Submitted | undefined {
    return this.values[blockId]?.[VALUE];
  }

  text(blockId: string, options: { required?: boolean; max: number }): string {
    const raw = this.element(blockId)?.value;
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (unstorableText(value)) this.errors[blockId] = 'This holds characters that cannot be stored; please retype it.';
    else if (options.required && value === '') this.errors[blockId] = 'This is required.';
    else if (value.length > options.max) this.errors[blockId] = `Keep it to ${options.max} characters (now ${value.length}).`;
    return value;
  }

  choice<T extends string>(
    blockId: string,
    allowed: readonly T[],
    options: { required?: boolean } = { required: true },
  ): T | undefined {
    const value = this.element(blockId)?.selected_option?.value ?? undefined;
    if (value === undefined) {
      if (options.required) this.errors[blockId] = 'Choose one.';
      return undefined;
    }
    if (!(allowed as readonly string[]).includes(value)) {
      this.errors[blockId] = 'Choose one of the options offered.';
      return undefined;
    }
    return value as T;
  }

  user(blockId: string): string | undefined {
    const value = this.element(blockId)?.selected_user ?? undefined;
    if (!value || !/^[UW][A-Z0-9]+$/.test(value)) {
      this.errors[blockId] = 'Choose a person.';
      return undefined;
    }
    return value;
  }

  dateTime(blockId: string, options: { required?: boolean } = { required: true }): Date | undefined {
    const seconds = this.element(blockId)?.selected_date_time;
    const at = typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(Math.trunc(seconds) * 1000) : undefined;
    if (!at || !plausible(at)) {
      if (options.required || seconds !== undefined) this.errors[blockId] = 'Choose a date and time.';
      return undefined;
    }
    return at;
  }

  /** A datepicker's YYYY-MM-DD, as midnight UTC of that day. */
  date(blockId: string, options: { required?: boolean } = { required: true }): Date | undefined {
    const raw = this.element(blockId)?.selected_date;
    const date = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(`${raw}T00:00:00Z`) : undefined;
    if (!date || !plausible(date)) {
      if (options.required || raw) this.errors[blockId] = 'Choose a date.';
      return undefined;
    }
    return date;
  }

  choices<T extends string>(blockId: string, allowed: readonly T[], options: { required?: boolean } = { required: true }): T[] {
    const raw = this.element(blockId)?.selected_options;
    const values = (Array.isArray(raw) ? raw : []).map((o) => (typeof o?.value === 'string' ? o.value : ''));
    if (values.some((v) => !(allowed as readonly string[]).includes(v))) {
      this.errors[blockId] = 'Choose among the options offered.';
      return [];
    }
    if (options.required && values.length === 0) this.errors[blockId] = 'Choose at least one.';
    return values as T[];
  }

  fail(blockId: string, message: string): void {
    this.errors[blockId] ??= message;
  }

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }
}
