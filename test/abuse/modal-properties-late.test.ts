import { describeModalProperties } from '../support/modal-fuzz.ts';

// Its own file (and so its own worker, harness and database) to run beside the Stages 1–2 half.
describeModalProperties('Stage 3 and after approval', [
  'schedule_review',
  'reschedule_review',
  'cancel_review',
  'record_outcome',
  'mark_answered',
  'record_go_live',
  'record_restricted_call',
  'schedule_audit',
  'record_audit_outcome',
  'close_remediation',
]);
