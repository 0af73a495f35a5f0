import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiJson } from '../http/openapi.ts';

/** `npm run docs:openapi`: writes the intake API's contract to docs/openapi.json (a test fails while it is stale). */
const target = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));
writeFileSync(target, openApiJson());
console.log(`wrote ${target}`);
