import { describe, expect, it } from 'vitest';
import { parseApplication } from '../../src/intake/application.ts';
import { fieldOf, formToApplication, issuesToErrors } from '../../src/listeners/views/new-application.ts';
import type { StateValues } from '../../src/listeners/views/values.ts';
import { values } from '../support/reviewer.ts';

const NOW = new Date('2026-03-10T12:00:00Z');
const text = (value: string) => ({ type: 'plain_text_input', value });
const pick = (value: string) => ({ type: 'static_select', selected_option: { value } });
const many = (v: string[]) => ({ type: 'multi_static_select', selected_options: v.map((value) => ({ value })) });

const filled = (overrides: Record<string, unknown> = {}): StateValues =>
  values({
    'organization.name': text('Contoso'),
    'organization.website': text('https://contoso.example.com'),
    'contact.email': text('dev@contoso.example.com'),
    developerType: { type: 'radio_buttons', selected_option: { value: 'private' } },
    roles: many(['Tax Invoicing']),
    marketplaces: many(['EU', 'DE']),
    useCase: text('Invoices for EU merchants.'),
    launchReadiness: pick('beta'),
    piiRetention: pick('<31'),
    ...overrides,
  }) as StateValues;

describe('new-application form', () => {
  it('a complete form passes the intake schema, with a generated profile id', () => {
    const parsed = parseApplication(formToApplication(filled(), NOW));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.application.profileId).toBe(`manual-${NOW.getTime()}`);
  });

  it('schema errors land under their inputs', () => {
    const parsed = parseApplication(
      formToApplication(
        filled({
          'organization.website': text('http://insecure.example.com'),
          'contact.email': text('not-an-email'),
          'impoc.email': text('security@contoso.example.com'),
          roles: many([]),
        }),
        NOW,
      ),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const errors = issuesToErrors(parsed.issues);
    expect(errors).toMatchObject({
      'organization.website': 'Must be an https:// URL.',
      'contact.email': 'Must be an e-mail address.',
      'impoc.name': 'Must not be empty.',
      roles: 'Must name at least one role.',
    });
  });

  it('maps nested and unknown paths to an input', () => {
    expect(fieldOf('roles.2')).toBe('roles');
    expect(fieldOf('securityAnswers.0.answer')).toBe('securityAnswers');
    expect(fieldOf('impoc')).toBe('impoc.name');
    expect(fieldOf('(body)')).toBe('organization.name');
  });
});
