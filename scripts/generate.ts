/**
 * `npm run generate [-- --out DIR] [-- --skip-docs]`: regenerates generated/ from openapi/.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GenerateError } from '../tokensmith-server/src/generate';
import { generateAll } from './lib/generate-all';
import { ROOT } from './lib/specs';

const { values } = parseArgs({ options: { out: { type: 'string' }, 'skip-docs': { type: 'boolean' } } });
const outDir = path.resolve(values.out ?? path.join(ROOT, 'generated'));

generateAll({ outDir, skipDocs: values['skip-docs'] ?? false }).then(
  (written) => console.log(`generated ${written.length} outputs in ${path.relative(process.cwd(), outDir) || '.'}`),
  (error: unknown) => {
    console.error(error instanceof GenerateError ? `generate: ${error.message}` : error);
    process.exitCode = 1;
  },
);
