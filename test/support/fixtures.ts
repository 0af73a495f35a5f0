let counter = 0;

/** A valid intake body; each call gets its own profileId unless one is given. */
export function applicationBody(overrides: Record<string, unknown> = {}): Record<string, any> {
  counter += 1;
  return {
    profileId: `amzn1.sellerapps.profile.test${process.pid}x${counter}`,
    organization: { name: `Northwind Commerce ${counter}`, website: 'https://northwind.example.com', country: 'DE' },
    contact: { name: 'Dana Developer', email: 'dana@northwind.example.com', phone: '+49 30 1234567' },
    developerType: 'public',
    roles: ['Direct-to-Consumer Shipping', 'Pricing'],
    marketplaces: ['EU', 'DE', 'FR'],
    useCase: 'Prints shipping labels for merchants who fulfil their own orders.',
    businessDescription: 'Shipping software for small merchants.',
    launchReadiness: 'in_production',
    piiRetention: '<31',
    securityAnswers: [{ topic: 'encryption at rest', answer: 'AES-256 with AWS KMS; keys rotated yearly.' }],
    impoc: { name: 'Ivan Incident', email: 'security@northwind.example.com' },
    ...overrides,
  };
}

/**
 * Every string Slack would parse for mentions and links: `mrkdwn` text objects and the
 * top-level `text` fallback. (`plain_text` is shown verbatim and cannot ping anyone.)
 */
export function mrkdwnTexts(payload: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown, topLevel: boolean) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, false);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (obj.type === 'mrkdwn' && typeof obj.text === 'string') found.push(obj.text);
    if (topLevel && typeof obj.text === 'string') found.push(obj.text);
    for (const [key, value] of Object.entries(obj)) if (key !== 'text' || typeof value !== 'string') walk(value, false);
  };
  walk(payload, true);
  return found;
}
