import { LAUNCH_READINESS, PII_RETENTION } from '../../src/intake/application.ts';
import { MARKETPLACES, RESTRICTED_ROLES, UNRESTRICTED_ROLES } from '../../src/intake/roles.ts';
import { applicationRef, escapeMrkdwn, fitMrkdwn } from '../format.ts';
import { LIMITS } from '../limits.ts';
import {
  type Choice,
  context,
  type ModalView,
  modal,
  multiSelectInput,
  radioInput,
  section,
  selectInput,
  textInput,
} from './kit.ts';

export const NEW_APPLICATION_CALLBACK = 'new_application';

/**
 * Block ids are the intake schema's field paths, so a schema error (`contact.email`,
 * `roles.1`) lands under the input it belongs to.
 */
export const NEW_APPLICATION_FIELDS = [
  'profileId',
  'organization.name',
  'organization.website',
  'organization.country',
  'contact.name',
  'contact.email',
  'contact.phone',
  'developerType',
  'roles',
  'marketplaces',
  'useCase',
  'businessDescription',
  'launchReadiness',
  'piiRetention',
  'securityAnswers',
  'impoc.name',
  'impoc.email',
] as const;
export type NewApplicationField = (typeof NEW_APPLICATION_FIELDS)[number];

const LAUNCH_LABELS: Record<(typeof LAUNCH_READINESS)[number], string> = {
  in_development: 'In development',
  beta: 'Beta',
  in_production: 'In production',
};
const RETENTION_LABELS: Record<(typeof PII_RETENTION)[number], string> = {
  '<31': 'Less than 31 days',
  '31-90': '31 to 90 days',
  '91-180': '91 to 180 days',
  '>180': 'More than 180 days',
};

const roleChoices: Choice[] = [
  ...RESTRICTED_ROLES.map((r) => ({ value: r, text: `${r} (restricted)` })),
  ...UNRESTRICTED_ROLES.map((r) => ({ value: r, text: r })),
];
const marketplaceChoices: Choice[] = Object.entries(MARKETPLACES).flatMap(([region, codes]) => [
  { value: region, text: `${region} (whole region)` },
  ...codes.map((code) => ({ value: code, text: `${code} · ${region}` })),
]);

/** `/pii new`: the intake form for an application entered by hand. `channel` is where the command was run. */
export function newApplicationModal(channel: string): ModalView {
  const view = modal({
    callbackId: NEW_APPLICATION_CALLBACK,
    title: 'New application',
    submit: 'Enter application',
    blocks: [
      context('Checked exactly like the intake API. Contact data and security answers stay out of the review channel.'),
      textInput('profileId', 'Developer profile id', {
        optional: true,
        max: 128,
        hint: 'Leave empty to generate one (manual-<timestamp>).',
      }),
      textInput('organization.name', 'Organization name', { max: 200 }),
      textInput('organization.website', 'Website', { max: 2000, placeholder: 'https://example.com' }),
      textInput('organization.country', 'Home country', { optional: true, max: 2, hint: 'ISO code such as DE or US.' }),
      textInput('contact.name', 'Primary contact name', { optional: true, max: 200 }),
      textInput('contact.email', 'Primary contact e-mail', { max: 254 }),
      textInput('contact.phone', 'Primary contact phone', { optional: true, max: 32 }),
      radioInput('developerType', 'Developer type', [
        { value: 'public', text: 'Public (lists in the Appstore)' },
        { value: 'private', text: 'Private' },
      ]),
      multiSelectInput('roles', 'Roles requested', roleChoices),
      multiSelectInput('marketplaces', 'Regions and marketplaces', marketplaceChoices),
      textInput('useCase', 'Use case: why PII is needed and how users benefit', { multiline: true, max: 2000 }),
      textInput('businessDescription', 'Primary business description', { optional: true, multiline: true, max: 500 }),
      selectInput(
        'launchReadiness',
        'Launch readiness',
        LAUNCH_READINESS.map((v) => ({ value: v, text: LAUNCH_LABELS[v] })),
      ),
      selectInput(
        'piiRetention',
        'PII kept after shipment',
        PII_RETENTION.map((v) => ({ value: v, text: RETENTION_LABELS[v] })),
      ),
      // Slack caps a text input at 3000 characters (views.open refuses more), below intake's 5000 per answer.
      textInput('securityAnswers', 'Security controls (free text)', {
        optional: true,
        multiline: true,
        max: LIMITS.textInput,
        hint: 'A summary of up to 3000 characters; the full answers arrive with the security questionnaire.',
      }),
      textInput('impoc.name', 'Incident management contact name', { optional: true, max: 200 }),
      textInput('impoc.email', 'Incident management contact e-mail', { optional: true, max: 254 }),
    ],
  });
  return { ...view, private_metadata: JSON.stringify({ channel }) };
}

/** Shown in place of the form once the application is stored. */
export function newApplicationDoneModal(
  app: { id: number; organizationName: string; profileId: string },
  reviewChannelId: string,
): ModalView {
  const text = fitMrkdwn(
    `:white_check_mark: ${applicationRef(app.id)} *${escapeMrkdwn(app.organizationName)}* was entered (profile \`${escapeMrkdwn(app.profileId)}\`). Its card is on its way to <#${reviewChannelId}>.`,
    LIMITS.sectionText,
  );
  return modal({
    callbackId: `${NEW_APPLICATION_CALLBACK}.done`,
    title: 'Application entered',
    close: 'Done',
    blocks: [section(text)],
  });
}
