import { VALUE } from '../views/modals/kit.ts';

/** A valid intake body, as the developer portal integration sends it. */
export function intakeBody(tag: string, n: number): Record<string, unknown> {
  return {
    profileId: `amzn1.sellerapps.profile.bench${tag}x${n}`,
    organization: { name: `Bench Commerce ${tag} ${n}`, website: 'https://bench.example.com', country: 'DE' },
    contact: { name: 'Dana Developer', email: 'dana@bench.example.com', phone: '+49 30 1234567' },
    developerType: 'public',
    roles: ['Direct-to-Consumer Shipping', 'Pricing'],
    marketplaces: ['EU', 'DE', 'FR'],
    useCase: 'Prints shipping labels for merchants who fulfil their own orders.',
    businessDescription: 'Shipping software for small merchants.',
    launchReadiness: 'in_production',
    piiRetention: '<31',
    securityAnswers: [{ topic: 'encryption at rest', answer: 'AES-256 with AWS KMS; keys rotated yearly.' }],
    impoc: { name: 'Ivan Incident', email: 'security@bench.example.com' },
  };
}

/** Slack's `view.state.values`: block id → our single action id → the element's state. */
const values = (fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).map(([blockId, state]) => [blockId, { [VALUE]: state }]));
const radio = (value: string) => ({ type: 'radio_buttons', selected_option: { value } });
const select = (value: string) => ({ type: 'static_select', selected_option: { value } });
const text = (value: string) => ({ type: 'plain_text_input', value });

export const ADVANCE = values({
  'criterion.use_case': radio('pass'),
  'criterion.launch_readiness': radio('pass'),
  'criterion.public_website': radio('pass'),
  'criterion.geographies': radio('pass'),
  'criterion.differentiation': radio('pass'),
  decision: radio('advance'),
});

export const RECORD_GAP = values({
  area: select('incident_response'),
  severity: select('high'),
  description: text('No 24 h breach notification commitment.'),
});
