import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import { createDocument, type ZodOpenApiResponseObject } from 'zod-openapi';
import { applicationInput, LAUNCH_READINESS } from '../intake/application.ts';
import { MARKETPLACE_CODES, RESTRICTED_ROLES, UNRESTRICTED_ROLES } from '../intake/roles.ts';
import { ROLE_STATUSES } from '../reviews/roles.ts';
import { ACCESS_STATUSES, SUSPENSION_REASONS } from '../workflow/access.ts';
import { STAGES, STATUSES } from '../workflow/states.ts';
import { restrictedCallBody } from './intake-routes.ts';
import { MAX_JSON_BODY, sendJson } from './json.ts';

/**
 * The intake API's contract (OpenAPI 3.1), generated with zod-openapi from the very schemas the
 * routes validate with (`applicationInput`, `restrictedCallBody`); the answers are described by
 * the schemas below, which the tests hold the running routes to. `npm run docs:openapi` writes
 * it to docs/openapi.json; the bot serves it at GET /api/openapi.json.
 */

/** What the README's intake table says of each field, shown by API tools. */
const FIELD_NOTES: Record<string, string> = {
  profileId: 'The developer profile id: the idempotency key. The same profile again updates its application.',
  organization: '`website` must be https://; `country` is an ISO 3166-1 alpha-2 code.',
  contact: 'Never shown in the channel, never logged, never sent in webhooks.',
  developerType: 'Private developers follow the streamlined track (PRIVATE_TRACK_*).',
  roles: `SP-API role names, as listed (the route also takes them in any case). At least one restricted role (${RESTRICTED_ROLES.join(', ')}), else 422; the others (${UNRESTRICTED_ROLES.join(', ')}) need no review.`,
  marketplaces: 'Regions NA, EU, FE or marketplace country codes, as listed (the route also takes them in lower case).',
  useCase: 'Like every free text: shown only in View submission, never in the channel.',
  businessDescription: 'Optional, at most 500 characters.',
  launchReadiness: `One of ${LAUNCH_READINESS.join(', ')}.`,
  piiRetention: 'Days PII is kept after shipment.',
  securityAnswers: 'Answers to the security questions, by topic.',
  impoc: 'Incident management point of contact.',
  merchants: 'Whether merchants are served today, and on which sales channels (at most 20, 100 characters each).',
  employeeCount: 'A whole number from 1 to 10,000,000.',
  dataSharedWith: 'Outside parties the data is shared with (at most 30, 300 characters each).',
  otherDataSources: 'Non-Amazon data sources (at most 30, 300 characters each).',
  questionnaireAnswers:
    'Answers to the security questionnaire, only once it was sent (422 otherwise); question ids of the version sent.',
  productionSince:
    'Go-live of an approved application (422 before approval); as Record go-live in Slack, not before the day of the approval and not in the future (422 naming productionSince). Starts the audit clock.',
  submittedAt: 'When the developer submitted; default: when received.',
};

/** An ISO 3166-1 alpha-2 code as the route takes it (any case; it also checks the code names a country). */
export const COUNTRY_PATTERN = '^[A-Za-z]{2}$';

type JsonProperty = {
  description?: string;
  items?: { enum?: readonly string[] };
  properties?: Record<string, { pattern?: string }>;
};

const application = applicationInput.meta({
  id: 'Application',
  description: 'An application for restricted (PII) roles. Unknown fields are refused (400), so a typo never passes silently.',
  override: ({ jsonSchema }) => {
    const properties = (jsonSchema.properties ?? {}) as Record<string, JsonProperty>;
    for (const [field, note] of Object.entries(FIELD_NOTES)) {
      const property = properties[field];
      if (property) property.description = note;
    }
    // The closed lists the route checks in its transforms, which JSON Schema cannot read: from the same constants.
    const { roles, marketplaces, organization } = properties;
    if (roles?.items) roles.items.enum = [...RESTRICTED_ROLES, ...UNRESTRICTED_ROLES];
    if (marketplaces?.items) marketplaces.items.enum = [...MARKETPLACE_CODES];
    const country = organization?.properties?.country;
    if (country) country.pattern = COUNTRY_PATTERN;
  },
});

const restrictedCall = restrictedCallBody.meta({
  id: 'RestrictedCall',
  description: 'A successful call of the restricted API: `at` not before the approval and not in the future.',
});

const issue = z
  .object({
    path: z.string().meta({ description: 'The field at fault, dotted (`organization.website`), or `(body)`.' }),
    message: z.string(),
  })
  .meta({ id: 'Issue' });

const problem = z
  .object({
    error: z.string().meta({ description: 'What is wrong, in a sentence a person can act on.' }),
    issues: z.array(issue).optional().meta({ description: 'Every field at fault (at most 50, then a count of the rest).' }),
  })
  .meta({ id: 'Problem' });

const stage = z.enum(STAGES).meta({ id: 'Stage' });
const status = z.enum(STATUSES).meta({ id: 'Status' });
const received = {
  id: z.number().int().meta({ description: 'The application number (`#id` on the card).' }),
  profileId: z.string(),
  stage,
  status,
  cycle: z.number().int().meta({
    description: 'The review cycle: 1, then one more each time a rejected or withdrawn application is submitted again.',
  }),
};

export const createdAnswer = z.strictObject({ ...received, outcome: z.literal('created') }).meta({ id: 'Created' });
export const unchangedAnswer = z.strictObject({ ...received, outcome: z.literal('unchanged') }).meta({ id: 'Unchanged' });
export const updatedAnswer = z
  .strictObject({
    ...received,
    outcome: z.literal('updated'),
    changedFields: z.array(z.string()).meta({ description: 'Dotted paths of what changed; never their values.' }),
  })
  .meta({ id: 'Updated' });
export const resubmittedAnswer = z
  .strictObject({
    ...received,
    outcome: z.literal('resubmitted'),
    changedFields: z.array(z.string()).meta({ description: 'Dotted paths of what changed; never their values.' }),
  })
  .meta({
    id: 'Resubmitted',
    description: 'A rejected or withdrawn application came again with changed content: a new review cycle opened at Stage 1.',
  });

const instant = z.iso.datetime({ offset: true });
const MEETING_STATUSES = ['scheduled', 'held', 'cancelled'] as const;

/** An event as the developer side reads it (src/reviews/event-outline.ts): never its payload, which holds the team's notes. */
const eventOutline = z.strictObject({
  id: z.number().int().meta({ description: 'The event id: increasing, unique; deduplicate on it.' }),
  type: z.string().meta({ description: 'The event type, e.g. `application.received`, `business_review.rejected`.' }),
  stage: stage.optional().meta({ description: 'As the event left the application, however late it is delivered.' }),
  status: status.optional(),
  cycle: z.number().int().min(1).optional().meta({
    description:
      'The review cycle the event belongs to, as the event left the application: a resubmission after a rejection, withdrawal or revocation opens the next.',
  }),
  actor: z.string().meta({ description: 'A Slack user id, or `intake` for the intake API and integrations.' }),
  at: instant,
  rejectedAtStage: stage.optional().meta({ description: 'On a rejection: the stage the review ended in.' }),
  access: z
    .strictObject({
      from: z.enum(ACCESS_STATUSES).optional(),
      to: z.enum(ACCESS_STATUSES),
      reason: z
        .string()
        .optional()
        .meta({
          description: `A code, never the team's note: a suspension's (${SUSPENSION_REASONS.join(', ')}), or why access fell at risk.`,
        }),
    })
    .optional()
    .meta({ description: 'On a change of restricted access after approval.' }),
  meeting: z
    .strictObject({
      startsAt: instant,
      durationMinutes: z.number().int().optional().meta({ description: 'Absent on cancellations recorded before it was kept.' }),
      status: z.enum(['scheduled', 'cancelled']),
      movedFrom: instant.optional().meta({ description: 'On `review.rescheduled`: the time it was moved from.' }),
    })
    .optional()
    .meta({
      description:
        'On `review.scheduled`, `review.rescheduled` and `review.cancelled`: the Stage 3 architecture review meeting, its time and duration (never its agenda or the reason for a cancellation).',
    }),
  roles: z.array(z.string()).optional().meta({
    description:
      'On `role_review.*` events (started, roles_added, approved, denied, withdrawn) and `roles.removed`: the restricted roles concerned. A denied role is asked for again by sending the profile once without it, then with it.',
  }),
});

export const applicationState = z
  .strictObject({
    id: z.number().int(),
    profileId: z.string(),
    organizationName: z.string(),
    website: z.string(),
    country: z.string().optional(),
    developerType: z.enum(['public', 'private']),
    roles: z.array(z.string()),
    marketplaces: z.array(z.string()),
    launchReadiness: z.enum(LAUNCH_READINESS),
    submittedAt: instant,
    receivedAt: instant,
    stage,
    status,
    statusSince: instant,
    assigneeId: z.string().nullable().meta({ description: 'Slack user id of the assignee.' }),
    version: z.number().int(),
    infoRounds: z.number().int(),
    architectId: z.string().nullable(),
    productionSince: instant.nullable(),
    cycle: z.number().int().meta({ description: 'The review cycle the application is in (1 for the first review).' }),
    roleReview: z.boolean().meta({ description: 'An approved application is in a review of restricted roles it added.' }),
    card: z
      .strictObject({ channel: z.string(), ts: z.string() })
      .nullable()
      .meta({ description: 'Where the card is in Slack; null until it is posted.' }),
    meeting: z
      .strictObject({
        startsAt: instant,
        durationMinutes: z.number().int(),
        status: z.enum(MEETING_STATUSES),
      })
      .nullable()
      .meta({
        description:
          'The Stage 3 architecture review meeting of the review under way, as the card shows it: when, how long, and whether it is still scheduled, was held or was cancelled. Null when none was scheduled.',
      }),
    roleStatuses: z.array(z.strictObject({ role: z.string(), status: z.enum(ROLE_STATUSES) })).meta({
      description:
        'Each restricted role recorded since the approval, with its status; empty before the first approval (the roles asked for are in `roles`). A `denied` role stays listed in `roles` as the developer sent it: to ask for it again, send the profile once without it, then with it (a role review starts). Listed again without being dropped first, it is not reviewed again.',
    }),
    access: z
      .strictObject({
        status: z.enum(ACCESS_STATUSES),
        since: instant.optional(),
        reason: z.string().optional().meta({ description: "A code, never the team's note (as in a webhook's `access`)." }),
      })
      .nullable()
      .meta({ description: 'Restricted access after approval (active, at risk, suspended, revoked); null before approval.' }),
    history: z.array(eventOutline).meta({
      description:
        "Every event, oldest first, as webhooks carry it: what happened, when, by whom, and the state it left; never the team's notes.",
    }),
  })
  .meta({ id: 'ApplicationState', description: 'The current state and the history; no contact data, no submission text.' });

export const recordedAnswer = z
  .strictObject({
    id: z.number().int(),
    outcome: z.enum(['recorded', 'unchanged']).meta({
      description: '`recorded`: stored now (201); `unchanged`: this call (time and operation) was stored before (200).',
    }),
    recorded: z.strictObject({ at: instant, operation: z.string() }).meta({ description: 'The call as stored.' }),
  })
  .meta({ id: 'Recorded' });

export const webhookEvent = eventOutline
  .extend({
    applicationId: z.number().int(),
    profileId: z.string().optional(),
    text: z.string().optional().meta({
      description:
        'Developer-facing text the event carries (denial, information request, questionnaire, clarification questions).',
    }),
  })
  .meta({ id: 'WebhookEvent' });

// --- Examples: the tests post each request example and expect the answer filed under its name.

const EXAMPLE_PROFILE = 'amzn1.sellerapps.profile.openapi-example';
const newApplication = {
  profileId: EXAMPLE_PROFILE,
  organization: { name: 'Northwind Commerce', website: 'https://northwind.example.com', country: 'DE' },
  contact: { name: 'Dana Developer', email: 'dana@northwind.example.com' },
  developerType: 'public',
  roles: ['Direct-to-Consumer Shipping'],
  marketplaces: ['EU', 'DE'],
  useCase: 'Prints shipping labels for merchants who fulfil their own orders.',
  launchReadiness: 'in_production',
  piiRetention: '<31',
};

export const INTAKE_EXAMPLES = {
  created: { summary: 'A new application', value: newApplication },
  unchanged: { summary: 'The same profile and content again', value: newApplication },
  updated: {
    summary: 'The same profile with changed content',
    value: { ...newApplication, useCase: 'Prints shipping labels and return labels for merchants.' },
  },
  invalid: {
    summary: 'A website that is not https, a missing contact, an unknown field',
    value: {
      ...newApplication,
      profileId: `${EXAMPLE_PROFILE}-invalid`,
      organization: { name: 'Northwind Commerce', website: 'http://northwind.example.com' },
      contact: undefined,
      colour: 'blue',
    },
  },
  noRestrictedRole: {
    summary: 'Only roles that need no PII review',
    value: { ...newApplication, profileId: `${EXAMPLE_PROFILE}-pricing`, roles: ['Pricing'] },
  },
} as const;

export const RESTRICTED_CALL_EXAMPLES = {
  recorded: { summary: 'A call after the approval', value: { at: '2026-03-05T12:00:00Z', operation: 'getOrders' } },
  repeated: { summary: 'The same report again (a retry)', value: { at: '2026-03-05T12:00:00Z', operation: 'getOrders' } },
  notApproved: {
    summary: 'The same report for an application not approved',
    value: { at: '2026-03-05T12:00:00Z', operation: 'getOrders' },
  },
  invalidReport: { summary: 'No operation, a time that is not ISO-8601', value: { at: 'yesterday' } },
} as const;

const json = (schema: z.ZodType, examples?: Record<string, { summary: string; value: unknown }>) => ({
  'application/json': { schema, ...(examples ? { examples } : {}) },
});

const problemAnswer = (description: string, examples: Record<string, { summary: string; value: unknown }>) => ({
  description,
  content: json(problem, examples),
});

const unauthorized = problemAnswer('The intake token is missing or wrong. Nothing was changed.', {
  noToken: {
    summary: 'No Authorization header',
    value: { error: 'Send the intake token as Authorization: Bearer <INTAKE_TOKEN>.' },
  },
});
const tooLarge = problemAnswer(`The body is larger than ${MAX_JSON_BODY / 1024} KiB. Nothing was changed.`, {
  tooLarge: { summary: 'A body over the limit', value: { error: `The body is larger than ${MAX_JSON_BODY / 1024} KiB.` } },
});
const notJson = problemAnswer('The body is not sent as `application/json`. Nothing was changed.', {
  notJson: {
    summary: 'A form post',
    value: { error: 'Send the body as JSON with Content-Type: application/json.' },
  },
});

const idParam = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/)
    .meta({ description: 'The application number.', example: '42' }),
});

const unknownApplication: ZodOpenApiResponseObject = problemAnswer('No application has this number.', {
  unknownApplication: { summary: 'An unknown number', value: { error: 'No application 999999.' } },
});

export function openApiDocument(): ReturnType<typeof createDocument> {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'pii-review intake API',
      version: '1.0.0',
      description:
        'Applications for restricted (PII) roles of the Selling Partner API arrive here and become cards in the review channel. Every change is an event; with WEBHOOK_URL set, each event is sent to the receiver (see `webhooks`). Generated from the zod schemas the routes validate with: `npm run docs:openapi`.',
    },
    servers: [{ url: 'http://localhost:3000', description: 'The local sandbox (`npm start`)' }],
    security: [{ intakeToken: [] }],
    components: {
      securitySchemes: {
        intakeToken: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <INTAKE_TOKEN>.' },
      },
    },
    paths: {
      '/api/applications': {
        post: {
          operationId: 'submitApplication',
          summary: 'Submit or update an application',
          description:
            'Idempotent on `profileId`: the same content again changes nothing; changed content is stored with an event, the card is updated and its thread names the fields (never their values). An application waiting on the developer goes back in review.',
          requestBody: { required: true, content: json(application, INTAKE_EXAMPLES) },
          responses: {
            '201': {
              description: 'New: stored, one event, one card.',
              content: json(createdAnswer, {
                created: {
                  summary: 'Created',
                  value: { id: 42, profileId: EXAMPLE_PROFILE, stage: 'business', status: 'new', cycle: 1, outcome: 'created' },
                },
              }),
            },
            '200': {
              description:
                'The profile was known: `unchanged` (the same content; no second card), `updated` (changed content: an event, the card updated; restricted roles added to an approved application open a role review) or `resubmitted` (a rejected or withdrawn application came again: a new review cycle at Stage 1).',
              content: json(z.union([unchangedAnswer, updatedAnswer, resubmittedAnswer]), {
                unchanged: {
                  summary: 'Unchanged',
                  value: { id: 42, profileId: EXAMPLE_PROFILE, stage: 'business', status: 'new', cycle: 1, outcome: 'unchanged' },
                },
                updated: {
                  summary: 'Updated',
                  value: {
                    id: 42,
                    profileId: EXAMPLE_PROFILE,
                    stage: 'business',
                    status: 'new',
                    cycle: 1,
                    outcome: 'updated',
                    changedFields: ['useCase'],
                  },
                },
                resubmitted: {
                  summary: 'Resubmitted after a denial: cycle 2 opened',
                  value: {
                    id: 42,
                    profileId: EXAMPLE_PROFILE,
                    stage: 'business',
                    status: 'new',
                    cycle: 2,
                    outcome: 'resubmitted',
                    changedFields: ['useCase'],
                  },
                },
              }),
            },
            '400': problemAnswer('A bad body: every field at fault is named; unknown fields are refused. Nothing was changed.', {
              invalid: {
                summary: 'Fields at fault',
                value: {
                  error: 'The application is not valid.',
                  issues: [
                    { path: 'organization.website', message: 'must be an https:// URL' },
                    { path: 'contact', message: 'is required' },
                    { path: 'colour', message: 'unknown field' },
                  ],
                },
              },
            }),
            '401': unauthorized,
            '413': tooLarge,
            '415': notJson,
            '422': problemAnswer(
              'Valid, but not for this process or not where the application stands: no restricted role; questionnaire answers before the questionnaire was sent; a go-live before approval.',
              {
                noRestrictedRole: {
                  summary: 'No restricted role',
                  value: {
                    error: 'None of the requested roles is restricted, so this application needs no PII review.',
                    issues: [
                      {
                        path: 'roles',
                        message: `Pricing needs no PII review; request a restricted role (${RESTRICTED_ROLES.join(', ')}) for this process`,
                      },
                    ],
                  },
                },
              },
            ),
          },
        },
      },
      '/api/applications/{id}': {
        get: {
          operationId: 'getApplication',
          summary: 'The current state, the card and the history',
          requestParams: { path: idParam },
          responses: {
            '200': { description: 'The application.', content: json(applicationState) },
            '400': problemAnswer('The id is not a number.', {
              badId: {
                summary: 'Not a number',
                value: { error: 'The application id must be a number.', issues: [{ path: 'id', message: 'must be a number' }] },
              },
            }),
            '401': unauthorized,
            '404': unknownApplication,
          },
        },
      },
      '/api/applications/{id}/restricted-calls': {
        post: {
          operationId: 'recordRestrictedCall',
          summary: 'Report a successful call of the restricted API',
          description:
            'Keeps the roles granted: an approved application without one is "access at risk" after the grace period (RESTRICTED_CALL_GRACE_DAYS), and again when the last is older than RESTRICTED_CALL_INACTIVITY_DAYS. Idempotent on the application, `at` and `operation`: a retry changes nothing. Report a call at least once a day while the integration calls the restricted API (the first successful call of each day is enough); reporting more often is accepted and stored, and shows nothing more. The review team sees a report only when it changes what they see: the first call since the approval or a reinstatement, or one that makes at-risk access active again, is an event (a thread line and a webhook); a later call on a later day (UTC) updates the last call the card shows; an older call, or another on the same day, is stored only.',
          requestParams: { path: idParam },
          requestBody: { required: true, content: json(restrictedCall, RESTRICTED_CALL_EXAMPLES) },
          responses: {
            '200': {
              description:
                'The same call (application, `at`, `operation`) was stored before: nothing changed, the call as stored.',
              content: json(recordedAnswer, {
                repeated: {
                  summary: 'Stored before',
                  value: { id: 42, outcome: 'unchanged', recorded: { at: '2026-03-05T12:00:00.000Z', operation: 'getOrders' } },
                },
              }),
            },
            '201': {
              description:
                'Stored. An event (a thread line, a webhook) only when it is the first call since the approval or a reinstatement, or makes at-risk access active again.',
              content: json(recordedAnswer, {
                recorded: {
                  summary: 'Recorded',
                  value: { id: 42, outcome: 'recorded', recorded: { at: '2026-03-05T12:00:00.000Z', operation: 'getOrders' } },
                },
              }),
            },
            '400': problemAnswer('A bad report or id; every field at fault is named.', {
              invalidReport: {
                summary: 'Fields at fault',
                value: {
                  error: 'The call report is not valid.',
                  issues: [
                    { path: 'at', message: 'must be an ISO-8601 timestamp' },
                    { path: 'operation', message: 'is required' },
                  ],
                },
              },
            }),
            '401': unauthorized,
            '404': unknownApplication,
            '409': problemAnswer(
              'Refused where the application stands (not approved, access suspended or revoked, a time before the approval or in the future), or it changed meanwhile: send it again.',
              {
                notApproved: {
                  summary: 'Not approved',
                  value: {
                    error: 'Only an approved application has a production life: the application is in business stage, new.',
                  },
                },
              },
            ),
            '413': tooLarge,
            '415': notJson,
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'healthz',
          summary: 'The process is up',
          security: [],
          responses: { '200': { description: 'Up.', content: json(z.object({ status: z.literal('ok') })) } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'readyz',
          summary: 'The instance takes requests: the database answers',
          description: 'Slack trouble is reported (`parkedEffects`, `slackToken`), not a reason to be taken out.',
          security: [],
          responses: {
            '200': {
              description: 'Ready.',
              content: json(
                z.object({
                  status: z.literal('ready'),
                  parkedEffects: z.number().int().optional(),
                  slackToken: z
                    .string()
                    .optional()
                    .meta({ description: "Slack's refusal of the token while delivery is stopped." }),
                }),
              ),
            },
            '503': {
              description: 'Not ready: the database does not answer, or the instance is shutting down.',
              content: json(z.object({ status: z.enum(['database unreachable', 'shutting down']) })),
            },
          },
        },
      },
    },
    webhooks: {
      applicationEvent: {
        post: {
          operationId: 'applicationEvent',
          summary: 'Every event, POSTed to WEBHOOK_URL in event order, one at a time',
          description:
            'Verify the signature before trusting the body: recompute `v1=` + hex HMAC-SHA256(WEBHOOK_SECRET, "<X-PII-Review-Timestamp>.<raw body>") and compare in constant time; refuse old timestamps. Answer 2xx once stored: the cursor moves only after a 2xx; anything else is retried with backoff (up to 10 minutes apart). A crash between your 2xx and our bookkeeping can repeat one event: deduplicate on `id`.',
          security: [],
          requestParams: {
            header: z.object({
              'x-pii-review-timestamp': z
                .string()
                .regex(/^\d+$/)
                .meta({ description: 'Unix time in seconds when the event was sent.', example: '1772442000' }),
              'x-pii-review-signature': z
                .string()
                .regex(/^v1=[0-9a-f]{64}$/)
                .meta({
                  description: '`v1=` + hex HMAC-SHA256(WEBHOOK_SECRET, "<timestamp>.<body>").',
                  example: 'v1=5d41402abc4b2a76b9719d911017c592ae2f2c0e2f3b2ce2d8e5b0e2a2c1e0f4',
                }),
            }),
          },
          requestBody: {
            required: true,
            content: json(webhookEvent, {
              received: {
                summary: 'An application arrived',
                value: {
                  id: 1,
                  type: 'application.received',
                  applicationId: 42,
                  profileId: EXAMPLE_PROFILE,
                  stage: 'business',
                  status: 'new',
                  actor: 'intake',
                  at: '2026-03-02T09:00:00.000Z',
                },
              },
              rejected: {
                summary: 'A rejection, with the denial text to send the developer',
                value: {
                  id: 7,
                  type: 'business_review.rejected',
                  applicationId: 42,
                  profileId: EXAMPLE_PROFILE,
                  stage: 'closed',
                  status: 'rejected',
                  actor: 'U012ABCDEF',
                  at: '2026-03-04T15:30:00.000Z',
                  rejectedAtStage: 'business',
                  text: 'Your application does not meet the criteria for the requested roles …',
                },
              },
            }),
          },
          responses: {
            '200': { description: 'Stored (any 2xx): the next event follows.' },
            default: { description: 'Anything else: the same event again, with backoff.' },
          },
        },
      },
    },
  });
}

let cached: string | undefined;

/** The document as the committed docs/openapi.json holds it (two-space JSON, a final newline). */
export function openApiJson(): string {
  cached ??= `${JSON.stringify(openApiDocument(), null, 2)}\n`;
  return cached;
}

/** GET /api/openapi.json: the contract, without a token (it holds no data). */
export function openApiRoute(): CustomRoute {
  return {
    path: '/api/openapi.json',
    method: 'GET',
    handler: (_req, res) => sendJson(res, 200, JSON.parse(openApiJson())),
  };
}
