import { test as base, expect, type BrowserContext, type Page, type APIRequestContext } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export { expect };

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

/** What went wrong in a journey's browser: console errors and warnings,
 * uncaught exceptions and failed requests (status 400 or more). Every
 * journey gets one (the `problems` fixture below) and fails when anything
 * was seen that the journey did not say it provokes. */
export class Problems {
  private readonly seen: string[] = [];
  private readonly provoked: RegExp[] = [];

  /** Watches a page from now on. */
  watch(page: Page) {
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        this.seen.push(`console ${message.type()}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => this.seen.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) this.seen.push(`HTTP ${response.status()}: ${response.url()}`);
    });
  }

  /** Watches every page a context has and will open. */
  watchContext(context: BrowserContext) {
    context.pages().forEach((page) => this.watch(page));
    context.on('page', (page) => this.watch(page));
  }

  /** Says that the journey provokes problems matching `pattern` (a 404
   * page, a refused form): they do not fail it. Keep patterns narrow. */
  provokes(pattern: RegExp) {
    this.provoked.push(pattern);
  }

  /** Says that the journey provokes answers with `status` from URLs
   * matching `url`, and the console error the browser writes for each. */
  provokesStatus(status: number, url: RegExp) {
    this.provoked.push(new RegExp(`^HTTP ${status}: ${url.source}`));
    this.provoked.push(new RegExp(`^console error: Failed to load resource: the server responded with a status of ${status} `));
  }

  /** What was seen and not provoked. */
  unexpected(): string[] {
    return this.seen.filter((problem) => !this.provoked.some((pattern) => pattern.test(problem)));
  }
}

/** Playwright's `test`, with every page of every browser context a journey
 * uses watched for problems, whether it uses the default `page` or opens a
 * context of its own (`browser.newContext`, for a locale or a position). */
export const test = base.extend<{ problems: Problems }>({
  problems: [
    async ({ browser, context }, use) => {
      const problems = new Problems();
      problems.watchContext(context);
      const newContext = browser.newContext;
      browser.newContext = async (...options) => {
        const created = await newContext.apply(browser, options);
        problems.watchContext(created);
        return created;
      };
      try {
        await use(problems);
      } finally {
        browser.newContext = newContext;
      }
      expect(problems.unexpected(), 'console errors or warnings, page errors or failed requests').toEqual([]);
    },
    { auto: true },
  ],
});

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
