/**
 * Every error code a user can meet has a row, with what to do, in the README's errors table: the
 * codes of `ERROR_CODES` and every code the library or the server constructs an error with.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../../src/core/errors';

const ROOT = join(__dirname, '..', '..');

/** The codes of the table's first column; a row may hold a range (`40140–40149`) or a list (`41300, 41500`). */
function documentedCodes(): Set<number> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Errors you will meet');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const codes = new Set<number>();
  for (const [, cell] of section.matchAll(/^\| ([\d,–\- ]+) \|[^|]+\|[^|]*\S[^|]*\|$/gm)) {
    for (const part of cell!.split(',')) {
      const [from, to = from] = part.trim().split(/[–-]/).map(Number);
      for (let code = from!; code <= to!; code += 1) codes.add(code);
    }
  }
  return codes;
}

/** Codes passed to an error constructor anywhere in the sources of both packages. */
function constructedCodes(): number[] {
  const codes = new Set<number>();
  for (const dir of ['src', 'tokensmith-server/src']) {
    for (const file of readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      for (const [, code] of readFileSync(join(ROOT, dir, file), 'utf8').matchAll(/Error\(\s*(\d{5})\b/g)) codes.add(Number(code));
    }
  }
  return [...codes].sort();
}

test('the sources construct errors with codes (the scan below finds them)', () => {
  expect(constructedCodes().length).toBeGreaterThan(20);
});

test.each(Object.keys(ERROR_CODES).map(Number))('ERROR_CODES %i has a row in the README errors table', (code) => {
  expect(documentedCodes()).toContain(code);
});

test.each(constructedCodes())('%i, which the library or the server can give, has a row in the README errors table', (code) => {
  expect(documentedCodes()).toContain(code);
});
