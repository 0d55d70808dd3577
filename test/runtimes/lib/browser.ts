import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { CheckConfig, Controls, HarnessReport } from '../checks';

/** Debian's Chromium, driven over the DevTools protocol. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Headless, no sandbox (root in CI), and nothing that would reach beyond loopback. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A Chromium with a fresh profile directory, removed on close. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'tokensmith-chromium-'));
  // launchPersistentContext passes --user-data-dir=<profile>: a fresh one each run.
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The first few distinct page and console errors, for the report when something fails. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  const add = (line: string) => {
    if (errors.length < 3 && !errors.includes(line)) errors.push(line.slice(0, 300));
  };
  page.on('pageerror', (error) => add(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') add(`console: ${message.text()}`);
  });
  return errors;
}

/** Opens the check page, gives it the test controls through Node, and runs the checks in it. */
export async function runInChromium(context: BrowserContext, pageUrl: string, config: CheckConfig, controls: Controls): Promise<HarnessReport & { pageErrors: string[] }> {
  const page = await context.newPage();
  const pageErrors = collectPageErrors(page);
  // A page may not call /_admin (same-origin only), so the controls run in Node.
  await page.exposeFunction('expireAblyTokens', () => controls.expireAblyTokens());
  await page.exposeFunction('expireMetquayTokens', () => controls.expireMetquayTokens());
  await page.goto(pageUrl);
  await page.waitForFunction(() => typeof (window as unknown as { runTokensmithChecks?: unknown }).runTokensmithChecks === 'function', undefined, { timeout: 30_000 });
  const report = await page.evaluate(
    (pageConfig) => (window as unknown as { runTokensmithChecks: (c: unknown) => Promise<HarnessReport> }).runTokensmithChecks(pageConfig),
    config,
  );
  await page.close();
  return { ...report, pageErrors };
}
