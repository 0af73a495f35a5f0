import type { ApplicationInput } from '../intake/application.ts';
import { SAMPLE_APPLICATIONS } from './samples.ts';

type Profile = Omit<ApplicationInput, 'profileId' | 'submittedAt'>;

/** Profile ids of demo data share this prefix: the loader knows by it whether the demo is already there. */
export const DEMO_PROFILE_PREFIX = 'amzn1.sp.solution.demo-';

const sample = (name: string): Profile => {
  const found = SAMPLE_APPLICATIONS.find((s) => s.organization.name === name);
  if (!found) throw new Error(`no sample application named ${name}`);
  return structuredClone(found);
};

/**
 * The demo board's developers: the sandbox's samples and a few more, so a dozen applications
 * can each stand in a different place. Domains use the reserved `.example` TLD.
 */
export const DEMO_PROFILES = {
  nordlicht: sample('Nordlicht Versand GmbH'),
  sakura: sample('Sakura Tax Solutions K.K.'),
  maple: sample('Maple Ledger Inc.'),
  brightHarbor: sample('Bright Harbor Consulting LLC'),
  southernCross: sample('Southern Cross Parcel Pty Ltd'),
  loja: sample('Loja Rápida Tecnologia Ltda'),
  alNoor: sample('Al Noor Commerce FZ-LLC'),
  fjord: {
    organization: { name: 'Fjord Freight AS', website: 'https://fjordfreight.example', country: 'NO' },
    contact: { name: 'Ingrid Solberg', email: 'ingrid@fjordfreight.example' },
    developerType: 'public',
    roles: ['Direct-to-Consumer Shipping'],
    marketplaces: ['EU', 'SE', 'DE'],
    useCase:
      'Nordic carrier labels (Posten, PostNord) for merchants shipping from their own stock; the address is printed on the label.',
    businessDescription: 'Shipping integrations for Nordic sellers.',
    launchReadiness: 'in_production',
    piiRetention: '<31',
    impoc: { name: 'Erik Dahl', email: 'security@fjordfreight.example' },
    merchants: { servedToday: true, channels: ['Amazon', 'WooCommerce'] },
    employeeCount: 31,
  },
  prairie: {
    organization: { name: 'Prairie Invoice Co.', website: 'https://prairieinvoice.example', country: 'US' },
    contact: { name: 'Tom Becker', email: 'tom@prairieinvoice.example', phone: '+1 402 555 0117' },
    developerType: 'public',
    roles: ['Tax Invoicing'],
    marketplaces: ['NA', 'US', 'CA'],
    useCase: 'Tax invoices for B2B buyers on Amazon Business: the buyer name and billing address appear on each invoice.',
    launchReadiness: 'in_production',
    piiRetention: '31-90',
    impoc: { name: 'Nina Park', email: 'incident@prairieinvoice.example' },
    employeeCount: 60,
  },
  kowloon: {
    organization: { name: 'Harbour Lights Trading Ltd', website: 'https://harbourlights.example', country: 'SG' },
    contact: { name: 'Wei Ling Tan', email: 'weiling@harbourlights.example' },
    developerType: 'public',
    roles: ['Direct-to-Consumer Shipping', 'Tax Invoicing'],
    marketplaces: ['FE', 'SG', 'JP'],
    useCase: 'Cross-border fulfilment for Singapore sellers: labels, customs forms and GST invoices carry the buyer address.',
    businessDescription: 'Cross-border logistics software.',
    launchReadiness: 'in_production',
    piiRetention: '<31',
    impoc: { name: 'Ravi Menon', email: 'secops@harbourlights.example' },
    employeeCount: 120,
  },
  quickship: {
    organization: { name: 'QuickShip Labels Ltd', website: 'https://quickship-labels.example', country: 'GB' },
    contact: { name: 'Sam Patel', email: 'sam@quickship-labels.example' },
    developerType: 'public',
    roles: ['Direct-to-Consumer Shipping'],
    marketplaces: ['EU', 'UK'],
    useCase: 'Label printing.',
    launchReadiness: 'in_development',
    piiRetention: '>180',
  },
  tidewater: {
    organization: { name: 'Tidewater Goods LLC', website: 'https://tidewatergoods.example', country: 'US' },
    contact: { name: 'Grace Holloway', email: 'grace@tidewatergoods.example' },
    developerType: 'private',
    roles: ['Professional Services'],
    marketplaces: ['US'],
    useCase: 'Order support for our own brand: our agents look up orders to answer delivery questions.',
    launchReadiness: 'beta',
    piiRetention: '<31',
  },
  lumen: {
    organization: { name: 'Lumen Retail Analytics GmbH', website: 'https://lumen-retail.example', country: 'AT' },
    contact: { name: 'Felix Huber', email: 'felix@lumen-retail.example' },
    developerType: 'public',
    roles: ['Tax Remittance'],
    marketplaces: ['EU', 'DE', 'IT'],
    useCase: 'VAT remittance reports for marketplace sellers; buyer country and address decide the VAT due.',
    launchReadiness: 'in_production',
    piiRetention: '31-90',
    impoc: { name: 'Klara Berger', email: 'security@lumen-retail.example' },
    employeeCount: 18,
  },
} satisfies Record<string, Profile>;

export type DemoProfileKey = keyof typeof DEMO_PROFILES;
