import type { BrowserContext } from 'playwright-core';
import { checkRecorder, type HarnessReport } from '../checks';
import { collectPageErrors } from './browser';

/**
 * Opens `examples/browser/` as a person would: the page gets a token through its authUrl,
 * publishes a greeting and lists the history; then a message typed into the form appears too.
 * Asserts on the DOM and saves a screenshot to `screenshotPath`.
 */
export async function checkBrowserExample(context: BrowserContext, url: string, screenshotPath: string): Promise<HarnessReport> {
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  const { results, check } = checkRecorder((error) => {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `${detail}${errors.length ? ` (page: ${errors.join(' | ')})` : ''}`;
  });
  const items = () => page.locator('#history li').allTextContents();

  await check('page loads, gets a token through authUrl and publishes', async () => {
    await page.goto(url);
    await page.waitForSelector('#status:not([data-state="loading"])', { timeout: 30_000 });
    const state = await page.getAttribute('#status', 'data-state');
    const text = await page.textContent('#status');
    if (state !== 'ready') throw new Error(`status ${state}: ${text}`);
    if (!text?.includes('Signed in as browser-demo')) throw new Error(`unexpected status: ${text}`);
  });
  await check('history shows the published greeting with its clientId', async () => {
    const listed = await items();
    if (!listed.some((item) => item.startsWith('Hello from the browser') && item.includes('browser-demo'))) throw new Error(`history: ${JSON.stringify(listed)}`);
  });
  await check('a message sent from the form is published and listed first', async () => {
    await page.fill('#text', 'Typed into the form');
    await page.click('button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('#history li')?.textContent?.startsWith('Typed into the form') ?? false, undefined, { timeout: 30_000 });
    const listed = await items();
    if (listed.length < 2) throw new Error(`history has ${listed.length} items`);
  });
  await page.screenshot({ path: screenshotPath, fullPage: true });
  await page.close();
  return { runtime: 'Chromium', signer: 'web', results };
}
