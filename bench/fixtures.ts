import { applicationBody } from '../test/support/fixtures.ts';
import { ALL_PASS, input, values } from '../test/support/slack-values.ts';

/** A valid intake body, as the developer portal integration sends it; `tag` and `n` make it unique. */
export function intakeBody(tag: string, n: number): Record<string, unknown> {
  return applicationBody({
    profileId: `amzn1.sellerapps.profile.bench${tag}x${n}`,
    organization: { name: `Bench Commerce ${tag} ${n}`, website: 'https://bench.example.com', country: 'DE' },
  });
}

export const ADVANCE = values({ ...ALL_PASS, decision: input.radio('advance') });

export const RECORD_GAP = values({
  area: input.select('incident_response'),
  severity: input.select('high'),
  description: input.text('No 24 h breach notification commitment.'),
});
