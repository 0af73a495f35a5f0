import { randomUUID } from 'node:crypto';
import type { ApplicationInput } from '../intake/application.ts';

type Sample = Omit<ApplicationInput, 'profileId' | 'submittedAt'>;

const security = (...answers: [string, string][]) => answers.map(([topic, answer]) => ({ topic, answer }));

/**
 * Developer profiles as intake would send them: between them they cover every restricted
 * role, all three regions, both developer types and every launch readiness and retention
 * bucket, so a reviewer trying the sandbox meets the cases the bot must tell apart.
 * Domains use the reserved `.example` TLD: none of these organizations exists.
 */
export const SAMPLE_APPLICATIONS: readonly Sample[] = [
  {
    organization: { name: 'Nordlicht Versand GmbH', website: 'https://nordlicht-versand.example', country: 'DE' },
    contact: { name: 'Jana Weber', email: 'jana.weber@nordlicht-versand.example', phone: '+49 30 5550 1234' },
    developerType: 'public',
    roles: ['Direct-to-Consumer Shipping', 'Inventory and Order Tracking'],
    marketplaces: ['EU', 'DE', 'FR', 'NL'],
    useCase:
      'Multi-carrier shipping labels for merchants who fulfil their own orders: we need the buyer shipping address to print DHL and Colissimo labels and to send tracking numbers back.',
    businessDescription: 'Shipping software for 1,200 small European sellers.',
    launchReadiness: 'in_production',
    piiRetention: '<31',
    securityAnswers: security(
      ['Encryption at rest', 'AES-256 on all volumes through the cloud provider KMS; keys rotated yearly.'],
      ['Access control', 'SSO with MFA for all staff; production access through a bastion with session recording.'],
    ),
    impoc: { name: 'Lukas Brandt', email: 'security@nordlicht-versand.example' },
    merchants: { servedToday: true, channels: ['Amazon', 'Shopify', 'eBay'] },
    employeeCount: 45,
    dataSharedWith: ['DHL and Colissimo (label APIs: name and shipping address only)'],
    otherDataSources: ['Shopify orders', 'eBay orders'],
  },
  {
    organization: { name: 'Sakura Tax Solutions K.K.', website: 'https://sakura-tax.example', country: 'JP' },
    contact: { name: 'Haruto Sato', email: 'h.sato@sakura-tax.example' },
    developerType: 'private',
    roles: ['Tax Invoicing'],
    marketplaces: ['JP'],
    useCase:
      'Qualified invoices (Japan invoice system) for our own seller account: the buyer name and address are printed on each invoice PDF.',
    launchReadiness: 'beta',
    piiRetention: '31-90',
    securityAnswers: security([
      'Data deletion',
      'Invoices are purged 60 days after shipment by a nightly job; backups expire after 30 days.',
    ]),
  },
  {
    organization: { name: 'Maple Ledger Inc.', website: 'https://mapleledger.example', country: 'CA' },
    contact: { name: 'Olivia Tremblay', email: 'olivia@mapleledger.example', phone: '+1 (514) 555-0199' },
    developerType: 'public',
    roles: ['Tax Remittance', 'Finance and Accounting'],
    marketplaces: ['NA', 'CA', 'US'],
    useCase:
      'Sales tax remittance reports for marketplace sellers across provinces and states, reconciled against settlement reports.',
    businessDescription: 'Accounting add-on for e-commerce bookkeepers.',
    launchReadiness: 'in_development',
    piiRetention: '91-180',
    impoc: { name: 'Marc Gagnon', email: 'incident@mapleledger.example' },
    merchants: { servedToday: false },
    employeeCount: 8,
  },
  {
    organization: { name: 'Bright Harbor Consulting LLC', website: 'https://brightharbor.example', country: 'US' },
    contact: { name: 'Devon Hughes', email: 'devon@brightharbor.example', phone: '+1 206 555 0142' },
    developerType: 'private',
    roles: ['Professional Services', 'Pricing'],
    marketplaces: ['US', 'MX'],
    useCase:
      'Agency managing order operations for 14 brand clients: we resolve delivery issues on their behalf and need order-level buyer details.',
    launchReadiness: 'in_production',
    piiRetention: '<31',
    securityAnswers: security(
      ['Incident response', 'Documented plan, tested twice a year; Amazon is notified within 24 hours of a suspected incident.'],
      ['Network protection', 'Private subnets only, WAF in front of the API, IDS alerts routed to on-call.'],
    ),
    employeeCount: 22,
    dataSharedWith: ['Client brands (order status reports, no buyer details)'],
  },
  {
    organization: { name: 'Southern Cross Parcel Pty Ltd', website: 'https://southerncrossparcel.example', country: 'AU' },
    contact: { name: 'Mia Nguyen', email: 'mia.nguyen@southerncrossparcel.example' },
    developerType: 'public',
    roles: ['Direct-to-Consumer Shipping', 'Tax Invoicing'],
    marketplaces: ['FE', 'AU', 'SG'],
    useCase: 'Label printing and GST tax invoices for Australian and Singaporean sellers shipping from their own warehouses.',
    businessDescription: 'Parcel consolidation and shipping app for the Asia-Pacific region.',
    launchReadiness: 'beta',
    piiRetention: '31-90',
  },
  {
    organization: { name: 'Loja Rápida Tecnologia Ltda', website: 'https://lojarapida.example', country: 'BR' },
    contact: { name: 'Beatriz Almeida', email: 'beatriz@lojarapida.example', phone: '+55 11 5555-0101' },
    developerType: 'public',
    roles: ['Tax Invoicing', 'Tax Remittance', 'Product Listing'],
    marketplaces: ['BR', 'MX'],
    useCase: 'Issues Brazilian electronic invoices (NF-e) for each order, which must carry the buyer CPF and address by law.',
    launchReadiness: 'in_development',
    piiRetention: '>180',
    securityAnswers: security([
      'Retention',
      'Tax law requires keeping NF-e data for five years; it is stored encrypted and access is logged.',
    ]),
    impoc: { name: 'Rafael Costa', email: 'seguranca@lojarapida.example' },
  },
  {
    organization: { name: 'Al Noor Commerce FZ-LLC', website: 'https://alnoor-commerce.example', country: 'AE' },
    contact: { name: 'Omar Haddad', email: 'omar@alnoor-commerce.example' },
    developerType: 'private',
    roles: ['Direct-to-Consumer Shipping', 'Professional Services'],
    marketplaces: ['AE', 'SA', 'EG'],
    useCase: 'In-house order routing for our own brands in the Gulf: buyer addresses go to our last-mile courier partners.',
    launchReadiness: 'in_production',
    piiRetention: '<31',
  },
];

/** A sample with a fresh profile id (so intake makes a new application) and a submission time of now. */
export function sampleApplication(index: number, now = new Date()): ApplicationInput {
  const sample =
    SAMPLE_APPLICATIONS[((index % SAMPLE_APPLICATIONS.length) + SAMPLE_APPLICATIONS.length) % SAMPLE_APPLICATIONS.length];
  if (!sample) throw new Error('no sample applications');
  return { profileId: `amzn1.sp.solution.${randomUUID()}`, ...structuredClone(sample), submittedAt: now.toISOString() };
}
