import { expect, type Page, type APIRequestContext } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Whether the server holds the real 2026 data (../shared/data present). */
export async function hasRealData(request: APIRequestContext): Promise<boolean> {
  const elections = await (await request.get('/api/v1/elections')).json();
  return elections.some((e: { id: string }) => e.id === 'gr2026');
}

/** Waits until the WASM bundle has hydrated the page: the location button
 * is only shown once its island has hydrated (in either language). */
export async function waitForHydration(page: Page) {
  await expect(page.getByRole('button', { name: /^(Gebruik mijn locatie|Use my location)$/ })).toBeVisible();
}

/** Collects console errors and warnings, uncaught exceptions and failed
 * same-origin requests, so a test can require that there were none. */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `artifacts/${name}.png`, fullPage: true });
}

/** The WCAG 2.1 A and AA rules, and axe's best practices: what they find. */
export async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}
