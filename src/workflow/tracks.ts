import { BUSINESS_CRITERIA, type CriterionId } from './controls.ts';

/**
 * Which criteria and steps apply to an application. Public developers get the complete
 * review; private ones (who build only for their own organization and are not listed in the
 * Appstore) a streamlined one, whose content is a setting (PRIVATE_TRACK_CRITERIA,
 * PRIVATE_TRACK_QUESTIONNAIRE) because Amazon publishes only that it is "streamlined".
 */
export type Track = {
  name: 'public' | 'private';
  /** The Stage 1 criteria a reviewer judges. */
  criteria: readonly CriterionId[];
  /** `optional`: a reviewer may skip the questionnaire, with a recorded reason. */
  questionnaire: 'required' | 'optional';
};

export type TrackSettings = { criteria: readonly CriterionId[]; questionnaire: 'required' | 'optional' };

export const PUBLIC_TRACK: Track = {
  name: 'public',
  criteria: BUSINESS_CRITERIA.map((c) => c.id),
  questionnaire: 'required',
};

/** The documented default: no Appstore criterion (they are not listed there); the questionnaire may be skipped. */
export const DEFAULT_PRIVATE_TRACK: TrackSettings = {
  criteria: BUSINESS_CRITERIA.map((c) => c.id).filter((id) => id !== 'differentiation'),
  questionnaire: 'optional',
};

export function trackFor(developerType: unknown, privateTrack: TrackSettings = DEFAULT_PRIVATE_TRACK): Track {
  return developerType === 'private' ? { name: 'private', ...privateTrack } : PUBLIC_TRACK;
}

export const TRACK_LABELS: Record<Track['name'], string> = {
  public: 'Public track (complete review)',
  private: 'Private track (streamlined)',
};
