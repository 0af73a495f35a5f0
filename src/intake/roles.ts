/** SP-API roles (DOMAIN.md). Only the restricted ones expose buyer PII and need this review. */
export const RESTRICTED_ROLES = [
  'Direct-to-Consumer Shipping',
  'Tax Invoicing',
  'Tax Remittance',
  'Professional Services',
] as const;

export const UNRESTRICTED_ROLES = [
  'Pricing',
  'Product Listing',
  'Brand Analytics',
  'Amazon Fulfillment',
  'Buyer Communication',
  'Buyer Solicitation',
  'Finance and Accounting',
  'Inventory and Order Tracking',
  'Selling Partner Insights',
  'Amazon Warehousing and Distribution',
] as const;

export type RoleName = (typeof RESTRICTED_ROLES)[number] | (typeof UNRESTRICTED_ROLES)[number];

const byKey = new Map<string, RoleName>([...RESTRICTED_ROLES, ...UNRESTRICTED_ROLES].map((name) => [roleKey(name), name]));

function roleKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}

/** Canonical role name for what a developer profile sent ("tax invoicing", "Tax-Invoicing"…), or undefined. */
export function canonicalRole(name: string): RoleName | undefined {
  return byKey.get(roleKey(name));
}

export function isRestricted(role: RoleName): boolean {
  return (RESTRICTED_ROLES as readonly string[]).includes(role);
}

/** Regions and the marketplace country codes within them. */
export const MARKETPLACES = {
  NA: ['US', 'CA', 'MX', 'BR'],
  EU: ['UK', 'GB', 'DE', 'FR', 'IT', 'ES', 'NL', 'SE', 'PL', 'BE', 'IE', 'TR', 'EG', 'SA', 'AE', 'IN', 'ZA'],
  FE: ['JP', 'AU', 'SG'],
} as const;

export const MARKETPLACE_CODES: readonly string[] = [...Object.keys(MARKETPLACES), ...Object.values(MARKETPLACES).flat()];
