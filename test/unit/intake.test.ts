import { describe, expect, it } from 'vitest';
import { changedFields, contentHash, parseApplication, toSubmission } from '../../src/intake/application.ts';
import { canonicalRole, isRestricted } from '../../src/intake/roles.ts';
import { applicationBody } from '../support/fixtures.ts';

describe('parseApplication', () => {
  it('accepts a full application and normalises roles, marketplaces and country', () => {
    const result = parseApplication(
      applicationBody({
        roles: ['tax invoicing', 'Tax-Invoicing', 'pricing'],
        marketplaces: ['eu', 'de'],
        organization: { name: ' A ', website: 'https://a.example.com', country: 'de' },
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.application.roles).toEqual(['Tax Invoicing', 'Pricing']);
    expect(result.application.marketplaces).toEqual(['EU', 'DE']);
    expect(result.application.organization).toEqual({ name: 'A', website: 'https://a.example.com', country: 'DE' });
  });

  it('accepts the minimal application (optional fields left out)', () => {
    const { businessDescription: _b, securityAnswers: _s, impoc: _i, ...minimal } = applicationBody();
    const result = parseApplication({ ...minimal, contact: { email: 'x@y.example.com' } });
    expect(result.ok).toBe(true);
  });

  it('accepts the optional profile fields (merchants, employees, parties, data sources) and stores them', () => {
    const extra = {
      merchants: { servedToday: true, channels: ['Amazon', 'Shopify'] },
      employeeCount: 42,
      dataSharedWith: ['Carrier APIs (labels only)'],
      otherDataSources: ['Shopify orders'],
    };
    const result = parseApplication(applicationBody(extra));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(toSubmission(result.application)).toMatchObject(extra);
  });

  it('refuses optional profile fields out of bounds, naming each', () => {
    const result = parseApplication(
      applicationBody({
        merchants: { servedToday: 'yes' },
        employeeCount: 0,
        dataSharedWith: Array.from({ length: 31 }, (_, i) => `Party ${i}`),
        otherDataSources: ['x'.repeat(301)],
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path).sort()).toEqual([
      'dataSharedWith',
      'employeeCount',
      'merchants.servedToday',
      'otherDataSources.0',
    ]);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, 42, 'text', []]) {
      const result = parseApplication(body);
      expect(result).toMatchObject({ ok: false, status: 400 });
    }
  });

  it('says which roles need no review when none is restricted', () => {
    const result = parseApplication(applicationBody({ roles: ['Pricing'] }));
    expect(result).toMatchObject({ ok: false, status: 422, issues: [{ path: 'roles' }] });
  });

  it('names a missing required field as required', () => {
    const { profileId: _p, ...body } = applicationBody();
    const result = parseApplication(body);
    expect(result.ok ? [] : result.issues).toContainEqual({ path: 'profileId', message: 'is required' });
  });
});

describe('roles', () => {
  it('knows the four restricted roles and refuses made-up ones', () => {
    expect(
      ['Direct-to-Consumer Shipping', 'Tax Invoicing', 'Tax Remittance', 'Professional Services'].map((r) =>
        isRestricted(canonicalRole(r) as never),
      ),
    ).toEqual([true, true, true, true]);
    expect(isRestricted(canonicalRole('Amazon Fulfillment') as never)).toBe(false);
    expect(canonicalRole('Root Access')).toBeUndefined();
  });
});

describe('contentHash and changedFields', () => {
  const parsed = (body: Record<string, unknown>) => {
    const result = parseApplication(body);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return toSubmission(result.application);
  };

  it('ignores key order and submittedAt', () => {
    const body = applicationBody();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    expect(contentHash(parsed(body))).toBe(contentHash(parsed({ ...reordered, submittedAt: '2026-01-01T00:00:00Z' })));
  });

  it('changes with any content', () => {
    const body = applicationBody();
    expect(contentHash(parsed(body))).not.toBe(contentHash(parsed({ ...body, useCase: `${body.useCase}!` })));
  });

  it('lists dotted paths of what changed, never values', () => {
    const before = { organization: { name: 'A', website: 'https://a' }, roles: ['x'], contact: { email: 'a@b' } };
    const after = { organization: { name: 'B', website: 'https://a' }, roles: ['x', 'y'], contact: { email: 'a@b', phone: '1' } };
    expect(changedFields(before, after)).toEqual(['contact.phone', 'organization.name', 'roles']);
    expect(changedFields(before, before)).toEqual([]);
  });
});
