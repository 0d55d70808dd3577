/**
 * tokensmith-server bundles Fastify and its dependencies into dist/ (see tokensmith-server/tsup.config.ts).
 * Their licences ask that the copyright and permission notices travel with every copy, so after
 * the build this reads which packages esbuild put in the bundle (its metafiles) and writes each
 * one's licence text to dist/THIRD_PARTY_LICENSES.md, then removes the metafiles.
 *
 * Run from tokensmith-server/ (its `build` script does).
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dist = path.resolve('dist');
const metafiles = readdirSync(dist).filter((file) => /^metafile-.*\.json$/.test(file));
if (metafiles.length === 0) throw new Error('bundled-licenses: no metafile in dist/; tsup must run with metafile: true');

const packageDirs = new Set<string>();
for (const file of metafiles) {
  const { inputs } = JSON.parse(readFileSync(path.join(dist, file), 'utf8')) as { inputs: Record<string, unknown> };
  for (const input of Object.keys(inputs)) {
    // The innermost node_modules/<name> or node_modules/@scope/<name> of the input's path.
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packageDirs.add(path.resolve(match[1]!));
  }
  rmSync(path.join(dist, file));
}

const sections = [...packageDirs]
  .map((dir) => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    const licenceFile = readdirSync(dir).find((file) => /^(licen[cs]e|copying)(\.|$)/i.test(file));
    const text = licenceFile && existsSync(path.join(dir, licenceFile)) ? readFileSync(path.join(dir, licenceFile), 'utf8').trim() : `License: ${manifest.license ?? 'see the package'}`;
    return { id: `${manifest.name}@${manifest.version}`, license: manifest.license ?? 'unknown', text };
  })
  .sort((a, b) => a.id.localeCompare(b.id));

writeFileSync(
  path.join(dist, 'THIRD_PARTY_LICENSES.md'),
  [
    '# Third-party software bundled in tokensmith-server',
    '',
    `dist/ contains code from these ${sections.length} packages, each under its own licence, reproduced below.`,
    '',
    ...sections.flatMap((section) => [`## ${section.id} (${section.license})`, '', '```text', section.text, '```', '']),
  ].join('\n'),
);
console.log(`bundled-licenses: ${sections.length} packages -> dist/THIRD_PARTY_LICENSES.md`);
