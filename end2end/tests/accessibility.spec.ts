import { expect, test, violations, waitForHydration } from './support';

// Every kind of page, in the states a voter meets: empty, with results,
// with filters open, with a message, and the pages beside the search.
const pages = [
  '/?e=demo',
  '/?e=demo&q=9999AD&needs=wheelchair',
  '/?e=demo&q=Nergenshuizen',
  '/s/demo/gm9999-1',
  '/g/GM9999?e=demo',
  '/over',
  '/data',
  '/insluiten?e=demo&g=GM9999',
  '/portaal/inloggen',
  '/nergens',
];

// The embeds, as a host may set them up; their language is `lang=`.
const embeds = [
  '/embed?e=demo',
  '/embed?e=demo&q=9999AD',
  '/embed?e=demo&q=9999AD&theme=dark',
  '/embed?e=demo&q=9999AD&search=0&map=0',
  '/embed/g/GM9999?e=demo',
  '/embed/s/demo/gm9999-1',
];

// WCAG 1.4.10: usable at 320 CSS pixels wide (what 400% zoom of a 1280
// pixel window, or 200% of a small laptop, leaves) without scrolling sideways.
test('every page fits 320 pixels without scrolling sideways', async ({ browser, problems }) => {
  problems.provokesStatus(404, /.*\/nergens$/);
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  for (const path of [...pages, ...embeds]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  await context.close();
});

for (const language of ['nl', 'en']) {
  test.describe(`axe-core in ${language}`, () => {
    for (const path of pages) {
      test(`${path} has no violations`, async ({ page, problems }) => {
        if (path === '/nergens') problems.provokesStatus(404, /.*\/nergens\?/);
        await page.goto(`${path}${path.includes('?') ? '&' : '?'}taal=${language}`);
        if (!path.startsWith('/nergens')) await page.waitForLoadState('networkidle');
        await expect(page.locator('html')).toHaveAttribute('lang', language);
        expect(await violations(page)).toEqual([]);
      });
    }

    for (const path of embeds) {
      test(`the embed ${path} has no violations`, async ({ page }) => {
        await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${language}`);
        await page.waitForLoadState('networkidle');
        await expect(page.locator('html')).toHaveAttribute('lang', language);
        expect(await violations(page)).toEqual([]);
      });
    }

    test('the hydrated search page with the filters unfolded has no violations', async ({ page }) => {
      await page.goto(`/?e=demo&q=Demodorp&taal=${language}`);
      await waitForHydration(page);
      await page.locator('details.needs summary').click();
      expect(await violations(page)).toEqual([]);
    });
  });
}
