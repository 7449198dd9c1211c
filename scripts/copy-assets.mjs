// Copies the non-TypeScript assets the compiled CLI reads at run time (report templates) into dist/.
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
cpSync(`${root}src/report/templates`, `${root}dist/report/templates`, { recursive: true });
