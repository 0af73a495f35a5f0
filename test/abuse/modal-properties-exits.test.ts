import { describeModalProperties } from '../support/modal-fuzz.ts';

// Its own file (and so its own worker, harness and database): the exits of Stages 2 and 3.
describeModalProperties('Developer replied and the Stage 2–3 denials', [
  'developer_replied',
  'deny_security',
  'deny_architecture',
]);
