import type { Submission } from '../intake/application.ts';

/**
 * Plausible answers a developer would give to the shipped questionnaire (src/questionnaire/default.json),
 * each under its 500-character limit; the panel prefills them and the newcomer may edit any.
 */
const ANSWERS: Record<string, (s: Submission) => string> = {
  Q01: () =>
    'All services run in private subnets behind a WAF and security groups that allow only the load balancer; admin access goes through a bastion with MFA. EDR runs on every server and laptop; IDS alerts page the on-call engineer.',
  Q02: () =>
    'Everyone signs in through our SSO with a personal account; PII access is a separate role granted per ticket by the security lead. Access rights are reviewed quarterly and revoked within 24 hours of a leaver, by HR sync.',
  Q03: () =>
    'Only company-managed laptops reach production, enrolled in MDM with disk encryption, screen lock and remote wipe. Personal phones cannot reach systems holding PII.',
  Q04: (s) => `${s.organization.website.replace(/\/$/, '')}/privacy`,
  Q05: () =>
    'AES-256 on every database volume and bucket through the cloud provider KMS; keys are rotated yearly and access to them is logged. Buyer addresses are also encrypted at field level.',
  Q06: () =>
    'Nightly encrypted snapshots are copied to a second region under a separate account; backups expire after 30 days. RTO 4 hours, RPO 24 hours, tested twice a year.',
  Q07: () =>
    'API, access and admin actions are logged centrally and kept 12 months; alerts are reviewed daily and the logs weekly. Log lines carry order ids only: a filter drops names and addresses before shipping.',
  Q08: () =>
    'Detect, contain, assess, notify, recover, review. The security lead notifies Amazon (security@amazon.com) within 24 hours of a suspected incident. The plan is reviewed and rehearsed every six months.',
  Q09: () =>
    'At least 12 characters, checked against breached lists, a history of 10, no forced expiry; lockout after 10 failed attempts; MFA for every account.',
  Q10: () => 'No. Development and test use generated data only, in separate accounts without network paths to production.',
  Q11: () =>
    'LWA secrets and refresh tokens live in a secrets manager, never in code; a pre-commit hook and CI scan block secrets. Secrets are rotated every 180 days and at once on a leaver.',
  Q12: () =>
    'Weekly automated scans and a yearly external penetration test; every finding becomes a tracked ticket with a due date by severity, reviewed in the weekly security meeting.',
  Q13: () =>
    'Critical within 7 days, high within 30, medium within 90; dependencies are updated weekly by an automated bot and checked in CI.',
  Q14: (s) => (s.impoc ? `${s.impoc.name}, ${s.impoc.email}` : `${s.contact.name ?? 'Security lead'}, ${s.contact.email}`),
};

export function sampleAnswer(questionId: string, submission: Submission): string {
  return ANSWERS[questionId]?.(submission) ?? 'Documented in our security policy; we can share it on request.';
}

/** What a developer writes back to an information request or to the architects' questions. */
export function sampleReply(openQuestions: readonly string[]): string {
  if (openQuestions.length > 0) {
    return openQuestions
      .map((q, i) => `${i + 1}. ${q}\nAnswered: see the attached architecture note; the owner is our security lead.`)
      .join('\n\n');
  }
  return 'Thank you. MFA is now enforced on every console, leavers are removed within 24 hours by HR sync, and PII is deleted 30 days after shipment by a nightly job. Evidence is in the attached policy excerpt.';
}
