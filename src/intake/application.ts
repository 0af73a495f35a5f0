import { createHash } from 'node:crypto';
import { z } from 'zod';
import { bidiControlIssues } from './bidi.ts';
import { canonicalRole, isRestricted, MARKETPLACE_CODES, type RoleName } from './roles.ts';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const httpsUrl = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && url.hostname.includes('.');
    } catch {
      return false;
    }
  }, 'must be an https:// URL');

const email = z.email('must be an e-mail address').max(254, 'must be at most 254 characters');

const countryCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => /^[A-Z]{2}$/.test(v) && regionNames.of(v) !== v, 'must be an ISO 3166-1 alpha-2 country code');

const roleName = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const role = canonicalRole(value);
    if (role === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 60)}" is not an SP-API role name` });
      return z.NEVER;
    }
    return role;
  });

const marketplace = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => MARKETPLACE_CODES.includes(v), 'must be a region (NA, EU, FE) or a marketplace country code');

export const LAUNCH_READINESS = ['in_development', 'beta', 'in_production'] as const;
export const PII_RETENTION = ['<31', '31-90', '91-180', '>180'] as const;

/** The intake API body (issue contract). Unknown keys are refused so a typo never passes silently. */
export const applicationInput = z.strictObject({
  profileId: text(128).regex(/^[\w.:-]+$/, 'may hold letters, digits and . _ : - only'),
  organization: z.strictObject({
    name: text(200),
    website: httpsUrl,
    country: countryCode.optional(),
  }),
  contact: z.strictObject({
    name: text(200).optional(),
    email,
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ().-]{5,32}$/, 'must be a phone number')
      .optional(),
  }),
  developerType: z.enum(['public', 'private'], 'must be "public" or "private"'),
  roles: z
    .array(roleName, 'must be a list of SP-API role names')
    .min(1, 'must name at least one role')
    .max(20, 'must name at most 20 roles')
    .transform((roles) => [...new Set(roles)]),
  marketplaces: z
    .array(marketplace, 'must be a list of marketplace or region codes')
    .min(1, 'must name at least one marketplace or region')
    .max(40, 'must name at most 40 marketplaces')
    .transform((codes) => [...new Set(codes)]),
  useCase: text(2000),
  businessDescription: z.string().trim().max(500, 'must be at most 500 characters').optional(),
  launchReadiness: z.enum(LAUNCH_READINESS, `must be one of ${LAUNCH_READINESS.join(', ')}`),
  piiRetention: z.enum(PII_RETENTION, `must be one of ${PII_RETENTION.join(', ')}`),
  securityAnswers: z
    .array(z.strictObject({ topic: text(200), answer: text(5000) }))
    .max(100, 'must hold at most 100 answers')
    .optional(),
  impoc: z.strictObject({ name: text(200), email }).optional(),
  /** Profile fields of DOMAIN.md ("The application"): private like the use case, shown only in the submission modal. */
  merchants: z
    .strictObject({
      servedToday: z.boolean('must be true or false'),
      channels: z.array(text(100)).max(20, 'must name at most 20 channels').optional(),
    })
    .optional(),
  employeeCount: z
    .number('must be a whole number')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(10_000_000, 'must be at most 10000000')
    .optional(),
  dataSharedWith: z.array(text(300)).max(30, 'must name at most 30 parties').optional(),
  otherDataSources: z.array(text(300)).max(30, 'must name at most 30 sources').optional(),
  /** Answers to the security questionnaire, once it was sent; ids of the version sent. */
  questionnaireAnswers: z
    .array(z.strictObject({ questionId: z.string().trim().min(1).max(20), answer: text(3000) }))
    .min(1, 'must hold at least one answer')
    .max(50, 'must hold at most 50 answers')
    .refine((answers) => new Set(answers.map((a) => a.questionId)).size === answers.length, 'must answer each question once')
    .optional(),
  /** When the approved application went live in production (starts the 90-day audit clock). */
  productionSince: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp' }).optional(),
  submittedAt: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp such as 2026-03-01T12:00:00Z' }).optional(),
});

export type ApplicationInput = z.infer<typeof applicationInput>;
/** What is stored as the profile: the input without its submission time and questionnaire answers (kept apart). */
export type Submission = Omit<ApplicationInput, 'submittedAt' | 'questionnaireAnswers' | 'productionSince'>;

export type FieldIssue = { path: string; message: string };

export type ParseResult =
  | { ok: true; application: ApplicationInput }
  | { ok: false; status: 400 | 422; error: string; issues: FieldIssue[] };

/** Text Postgres cannot store (NUL, lone UTF-16 surrogates) is refused up front, where it is named, not failed on later. */
export function unstorableText(value: string): boolean {
  return value.includes('\u0000') || !value.isWellFormed();
}

/** Walked with a stack, not recursion: the body's shape is the sender's choice. */
function unstorablePaths(body: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const stack: { value: unknown; path: string[] }[] = [{ value: body, path: [] }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (unstorableText(value))
        issues.push({
          path: path.join('.') || '(body)',
          message: 'contains characters that cannot be stored (NUL or a broken surrogate)',
        });
    } else if (value !== null && typeof value === 'object') {
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      for (const [k, v] of entries.reverse()) stack.push({ value: v, path: [...path, k] });
      if (!Array.isArray(value) && Object.keys(value).some(unstorableText))
        issues.push({ path: [...path, '(key)'].join('.'), message: 'a field name contains characters that cannot be stored' });
    }
  }
  return issues;
}

export function parseApplication(body: unknown): ParseResult {
  const unstorable = [...unstorablePaths(body), ...bidiControlIssues(body)];
  if (unstorable.length > 0) return { ok: false, status: 400, error: 'The application is not valid.', issues: unstorable };
  const parsed = applicationInput.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      status: 400,
      error: 'The application is not valid.',
      issues: parsed.error.issues.map(toFieldIssue),
    };
  }
  const unreviewable = parsed.data.roles.filter((role) => !isRestricted(role));
  if (unreviewable.length === parsed.data.roles.length) {
    return {
      ok: false,
      status: 422,
      error: 'None of the requested roles is restricted, so this application needs no PII review.',
      issues: [
        {
          path: 'roles',
          message: `${unreviewable.join(', ')} ${unreviewable.length === 1 ? 'needs' : 'need'} no PII review; request a restricted role (Direct-to-Consumer Shipping, Tax Invoicing, Tax Remittance, Professional Services) for this process`,
        },
      ],
    };
  }
  return { ok: true, application: parsed.data };
}

function toFieldIssue(issue: z.core.$ZodIssue): FieldIssue {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => (path ? `${path}.${key}` : key));
    return { path: keys.join(', '), message: `unknown field${keys.length > 1 ? 's' : ''}` };
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return { path, message: 'is required' };
  }
  return { path: path || '(body)', message: issue.message };
}

export function toSubmission(input: ApplicationInput): Submission {
  const { submittedAt: _time, questionnaireAnswers: _answers, productionSince: _live, ...submission } = input;
  return submission;
}

/** Key-order-independent JSON, so the same content always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function contentHash(submission: Submission): string {
  return createHash('sha256').update(canonicalJson(submission)).digest('hex');
}

/** Dotted paths of what differs between two submissions; values are never returned (they may be PII). */
export function changedFields(before: unknown, after: unknown, prefix = ''): string[] {
  const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changedFields(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  return canonicalJson(before) === canonicalJson(after) ? [] : [prefix];
}

export type { RoleName };
