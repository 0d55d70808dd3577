import { Miniflare } from 'miniflare';
import type { CheckConfig, HarnessReport } from '../checks';

/** Loads the bundled worker into workerd (through miniflare) and asks it to run the checks. */
export async function runInWorkerd(scriptPath: string, config: CheckConfig): Promise<HarnessReport> {
  const mf = new Miniflare({ modules: true, scriptPath, compatibilityDate: '2026-03-01' });
  try {
    const response = await mf.dispatchFetch('http://worker.test/run', { method: 'POST', body: JSON.stringify(config) });
    const text = await response.text();
    if (!response.ok) throw new Error(`worker answered ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as HarnessReport;
  } finally {
    await mf.dispose();
  }
}
