import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { eq } from 'drizzle-orm';
import { applications } from '../../../db/schema.ts';
import { VALUE } from '../../../views/modals/kit.ts';
import {
  NEW_APPLICATION_CALLBACK,
  NEW_APPLICATION_FIELDS,
  type NewApplicationField,
  newApplicationDoneModal,
} from '../../../views/modals/new-application.ts';
import { type FieldIssue, parseApplication } from '../../intake/application.ts';
import { AlreadyHandled } from '../../reviews/processed.ts';
import { receiveApplication } from '../../reviews/receive-application.ts';
import { rolesOf } from '../../workflow/roles.ts';
import { type ListenerDeps, SOMETHING_WENT_WRONG } from '../deps.ts';
import type { Routes } from '../routes.ts';
import { type StateValues, shownValues } from './values.ts';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export const MAY_ENTER_BY_HAND = ['reviewer', 'admin'] as const;
export const enterByHandRefusal = 'Only a reviewer or an admin can enter an application by hand; you hold neither role.';

/** The input an intake schema path belongs under: `roles.1` → `roles`, `impoc` → `impoc.name`. */
export function fieldOf(path: string): NewApplicationField {
  const exact = NEW_APPLICATION_FIELDS.find((f) => f === path);
  if (exact) return exact;
  const parent = [...NEW_APPLICATION_FIELDS].sort((a, b) => b.length - a.length).find((f) => path.startsWith(`${f}.`));
  if (parent) return parent;
  return NEW_APPLICATION_FIELDS.find((f) => f.startsWith(`${path}.`)) ?? 'organization.name';
}

const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? '' : '.'}`;

export function issuesToErrors(issues: readonly FieldIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    for (const path of issue.path.split(', ')) {
      const field = fieldOf(path);
      errors[field] = errors[field] ? errors[field] : sentence(issue.message).slice(0, 2000);
    }
  }
  return errors;
}

/** The modal's inputs as an intake API body; empty optional inputs are left out, as an API caller would. */
export function formToApplication(values: StateValues, now: Date): Record<string, unknown> {
  const state = (id: NewApplicationField) => values[id]?.[VALUE];
  const text = (id: NewApplicationField) => (typeof state(id)?.value === 'string' ? (state(id)?.value ?? '').trim() : '');
  const chosen = (id: NewApplicationField) => state(id)?.selected_option?.value ?? undefined;
  const many = (id: NewApplicationField) => (state(id)?.selected_options ?? []).flatMap((o) => (o.value ? [o.value] : []));
  const optional = (key: string, value: string) => (value ? { [key]: value } : {});
  const security = text('securityAnswers');
  const impoc = { name: text('impoc.name'), email: text('impoc.email') };
  return {
    profileId: text('profileId') || `manual-${now.getTime()}`,
    organization: {
      name: text('organization.name'),
      website: text('organization.website'),
      ...optional('country', text('organization.country')),
    },
    contact: {
      ...optional('name', text('contact.name')),
      email: text('contact.email'),
      ...optional('phone', text('contact.phone')),
    },
    developerType: chosen('developerType'),
    roles: many('roles'),
    marketplaces: many('marketplaces'),
    useCase: text('useCase'),
    ...optional('businessDescription', text('businessDescription')),
    launchReadiness: chosen('launchReadiness'),
    piiRetention: chosen('piiRetention'),
    ...(security ? { securityAnswers: [{ topic: 'Security controls (entered by hand)', answer: security }] } : {}),
    ...(impoc.name || impoc.email ? { impoc } : {}),
  };
}

/**
 * `/pii new` submitted: the same validation and use case as the intake API. A manual entry
 * never updates an existing profile (that is the developer's own resubmission).
 */
export function registerNewApplicationView(routes: Routes, deps: ListenerDeps): void {
  routes.view(NEW_APPLICATION_CALLBACK, async ({ ack, view, body }: Args) => {
    const user = body.user.id;
    const roles = rolesOf(deps.roles, user);
    if (!MAY_ENTER_BY_HAND.some((r) => roles.has(r))) {
      return void (await ack({ response_action: 'errors', errors: { 'organization.name': enterByHandRefusal } }));
    }
    try {
      const parsed = parseApplication(formToApplication(shownValues(view), deps.clock.now()));
      if (!parsed.ok) return void (await ack({ response_action: 'errors', errors: issuesToErrors(parsed.issues) }));
      const [taken] = await deps.db
        .select({ id: applications.id })
        .from(applications)
        .where(eq(applications.profileId, parsed.application.profileId));
      if (taken) {
        const message = `Application #${taken.id} already has this profile id; a manual entry cannot change it.`;
        return void (await ack({ response_action: 'errors', errors: { profileId: message } }));
      }
      const result = await receiveApplication(deps, parsed.application, body.user.id, `view:${view.id}`);
      if (result.outcome === 'invalid') {
        return void (await ack({ response_action: 'errors', errors: issuesToErrors(result.issues) }));
      }
      deps.onCommitted();
      deps.logger.info({ applicationId: result.application.id, user, outcome: result.outcome }, 'application entered by hand');
      await ack({ response_action: 'update', view: newApplicationDoneModal(result.application, deps.reviewChannelId) });
    } catch (error) {
      // The same submission again (a replay, or Slack's retry on another instance): the first one answered.
      if (error instanceof AlreadyHandled) return void (await ack());
      deps.logger.error({ err: error, user }, 'manual application entry failed');
      await ack({ response_action: 'errors', errors: { 'organization.name': SOMETHING_WENT_WRONG } });
    }
  });
}
