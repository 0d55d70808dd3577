import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function runCheck(root: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/check-generated.ts'), '--skip-docs', '--root', root], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

describe('npm run check:generated', () => {
  let copy: string;

  beforeEach(() => {
    copy = mkdtempSync(path.join(os.tmpdir(), 'tokensmith-check-'));
    cpSync(path.join(ROOT, 'openapi'), path.join(copy, 'openapi'), { recursive: true });
    cpSync(path.join(ROOT, 'generated'), path.join(copy, 'generated'), { recursive: true });
  });
  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  it('passes when generated/ matches the specs', () => {
    const result = runCheck(copy);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails with a readable diff when a spec changed and generated/ was not regenerated', () => {
    const specPath = path.join(copy, 'openapi', 'metquay.yaml');
    const spec = readFileSync(specPath, 'utf8');
    const edited = spec.replace(/\n {4}AuthenticationRequest:\n/, '\n    AuthenticationRequest:\n      x-edited-by-test: true\n');
    expect(edited).not.toBe(spec);
    writeFileSync(specPath, edited.replace('operationId: authenticate', 'operationId: authenticateRenamedByTest'));

    const result = runCheck(copy);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('generated/ is stale: run `npm run generate`');
    expect(result.stderr).toMatch(/^[-+].*authenticateRenamedByTest/m);
  });
});
