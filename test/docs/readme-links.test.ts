/**
 * The README and the pages it sends readers to: every relative link reaches a file that exists,
 * every `#anchor` a heading of that file (GitHub's heading ids), and the README stays short enough
 * to read on a registry page.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { headingIds, links } from './helpers/links';

const ROOT = join(__dirname, '..', '..');
const PAGES = ['README.md', 'tokensmith-server/README.md', 'bench/README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** An absolute link to a file of this repository on its default branch; group 1 is the path. */
const REPO_URL = /^https:\/\/github\.com\/tokensmith\/tokensmith\/(?:blob|tree)\/main\/([^#?]+)/;

describe.each(PAGES)('%s', (page) => {
  const text = readFileSync(join(ROOT, page), 'utf8');

  test('every relative link and anchor resolves', () => {
    const broken: string[] = [];
    for (const link of links(text)) {
      const inRepo = REPO_URL.exec(link);
      if (inRepo) {
        // Links into the repository (for what no package ships) name a file or folder it has.
        if (!existsSync(join(ROOT, inRepo[1]!))) broken.push(`${link}: no file ${inRepo[1]}`);
        continue;
      }
      if (/^[a-z]+:/i.test(link)) continue;
      const [path = '', anchor] = link.split('#');
      const target = path === '' ? join(ROOT, page) : join(ROOT, dirname(page), path);
      if (!existsSync(target)) {
        broken.push(`${link}: no file ${relative(ROOT, target)}`);
        continue;
      }
      if (anchor !== undefined && target.endsWith('.md') && !headingIds(readFileSync(target, 'utf8')).has(anchor)) {
        broken.push(`${link}: no heading #${anchor} in ${relative(ROOT, target)}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

test('the README stays under 25 KB: reference material goes to docs/', () => {
  expect(readFileSync(join(ROOT, 'README.md')).byteLength).toBeLessThan(25_000);
});

test('the README opens with the install line and a table of contents', () => {
  const head = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n## ')[0]!;
  expect(head).toContain('npm i tokensmith');
  expect(head).toContain('npm i -D tokensmith-server');
  expect(head).toContain('[Use it from your project](#use-it-from-your-project)');
});
