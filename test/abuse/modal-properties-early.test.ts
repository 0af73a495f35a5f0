import { describeModalProperties } from '../support/modal-fuzz.ts';

// Its own file (and so its own worker, harness and database) to run beside the Stage 3 half.
describeModalProperties('Stages 1–2, admin and template', [
  'business_review',
  'record_gap',
  'resolve_gap',
  'request_information',
  'record_answers',
  'review_answers',
  'assign',
  'withdraw',
  'reopen',
  'edit_template',
]);
