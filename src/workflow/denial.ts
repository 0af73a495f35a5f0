import { type Denial, type Refusal, refuse } from './types.ts';

/** A denial's guards, the same at Stage 2 and 3: the text sent, and a reason kept inside the team. */
export function denialRefusal(command: Denial): Refusal | undefined {
  if (!command.denialText.trim()) return refuse('guard', 'Write the denial text sent to the developer.', 'denial_text');
  if (!command.reason.area && !command.reason.note?.trim())
    return refuse('guard', 'Give the internal reason: a control area or a note (never sent to the developer).', 'reason_note');
  return undefined;
}
