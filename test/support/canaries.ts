import { applicationBody } from './fixtures.ts';

/**
 * Contact data and a security answer distinctive enough that finding one in a log line can
 * only mean the bot logged what a developer sent.
 */
export const CANARY = {
  email: 'canary.contact.7f3e@leak-check.example.com',
  impocEmail: 'canary.impoc.19ad@leak-check.example.com',
  phone: '+49 30 5550 1987',
  answer: 'Canary answer 4c8b: keys live in vault-7731',
} as const;

/** A valid intake body carrying every canary. */
export function canaryApplication(overrides: Record<string, unknown> = {}): Record<string, any> {
  return applicationBody({
    contact: { name: 'Casey Canary', email: CANARY.email, phone: CANARY.phone },
    impoc: { name: 'Ivy Canary', email: CANARY.impocEmail },
    securityAnswers: [{ topic: 'encryption at rest', answer: CANARY.answer }],
    ...overrides,
  });
}

/** The canaries (and their recognisable parts) found in a text; empty when none leaked. */
export function canariesIn(text: string): string[] {
  const needles = [...Object.values(CANARY), 'canary.contact.7f3e', 'canary.impoc.19ad', '5550 1987', '55501987', 'vault-7731'];
  return [...new Set(needles.filter((n) => text.includes(n)))];
}
