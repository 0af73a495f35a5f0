/** The fixed list a security gap is filed under (Data Protection Policy control areas, DOMAIN.md). */
export const CONTROL_AREAS = [
  {
    id: 'network_protection',
    label: 'Network protection',
    expects: 'firewalls or ACLs, segmentation, anti-malware that cannot be disabled, intrusion detection',
  },
  {
    id: 'access_management',
    label: 'Access management',
    expects:
      'unique IDs, no shared accounts, need-to-know access, access reviews at least quarterly, leavers removed within 24 hours, lockout after 10 failed logins',
  },
  {
    id: 'credential_management',
    label: 'Credential management',
    expects:
      'passwords of at least 12 characters, MFA, a history of 10, a maximum age of 365 days, no hard-coded or exposed LWA credentials, keys rotated at least every 12 months',
  },
  {
    id: 'encryption_in_transit',
    label: 'Encryption in transit',
    expects: 'TLS 1.2 or newer everywhere, unencrypted channels disabled',
  },
  {
    id: 'encryption_at_rest',
    label: 'Encryption at rest',
    expects: 'PII encrypted (AES-128 / RSA-2048 or stronger) with a key management system',
  },
  {
    id: 'incident_response',
    label: 'Incident response',
    expects: 'a plan and runbooks, a named IMPOC, Amazon notified within 24 hours, the plan reviewed every 6 months',
  },
  {
    id: 'data_retention',
    label: 'Data retention',
    expects:
      'PII kept at most 30 days after delivery unless law requires, all data deleted within 30 days of a request or the end of authorization, non-PII at most 18 months',
  },
  {
    id: 'data_governance',
    label: 'Data governance',
    expects: 'an inventory of data fields and where they are stored, processed and shared',
  },
  {
    id: 'logging_monitoring',
    label: 'Logging and monitoring',
    expects: 'logs kept at least 12 months, reviewed every 2 weeks, no PII in logs',
  },
  {
    id: 'vulnerability_management',
    label: 'Vulnerability management',
    expects: 'critical findings fixed in 7 days and high in 30, scans every 30 days, a yearly pen test',
  },
  {
    id: 'change_management',
    label: 'Change management',
    expects: 'a formal change process, a separate test environment, no real PII in tests',
  },
  { id: 'third_parties', label: 'Third parties', expects: 'vendors and subcontractors assessed' },
  {
    id: 'backups_resilience',
    label: 'Backups and resilience',
    expects: 'encrypted, geographically separate backups with stated RTO and RPO',
  },
  { id: 'privacy_policy', label: 'Privacy policy', expects: "a privacy policy hosted on the applicant's own domain" },
] as const;

export type ControlArea = (typeof CONTROL_AREAS)[number]['id'];
export const CONTROL_AREA_IDS = CONTROL_AREAS.map((a) => a.id) as unknown as readonly [ControlArea, ...ControlArea[]];

export function controlArea(id: string) {
  return CONTROL_AREAS.find((a) => a.id === id);
}

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Stage 1 criteria (DOMAIN.md): each passes or fails; all must pass to advance. */
export const BUSINESS_CRITERIA = [
  { id: 'use_case', label: 'Business use case' },
  { id: 'launch_readiness', label: 'Launch readiness' },
  { id: 'public_website', label: 'Services visible on a public website' },
  { id: 'geographies', label: 'Supported geographies' },
  { id: 'differentiation', label: 'Materially different from existing Appstore apps' },
] as const;

export type CriterionId = (typeof BUSINESS_CRITERIA)[number]['id'];
