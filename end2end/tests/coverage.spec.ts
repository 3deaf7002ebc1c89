import { expect, hasRealData, screenshot, test, violations } from './support';

// Issue 23, part 2: which municipalities have published, on the real
// 2026 data and boundaries (serve-for-tests.sh imports them), and what a
// voter in a municipality without stations is told. Utrecht and
// Amsterdam are not in the real data, so they stay unpublished whatever
// other journeys publish.

const languages = [
  {
    code: 'nl',
    path: '/dekking',
    election: 'Verkiezing',
    show: 'Toon',
    heading: 'Dekking: welke gemeenten hebben gepubliceerd',
    totals: /van de 343 gemeenten hebben samen \d+ stembureaus gepubliceerd\./,
    caption: /Alle gemeenten\./,
    published: 'Gepubliceerd',
    notPublished: 'Niet gepubliceerd',
    search: '/?e=gr2026&lat=52.09080&lon=5.12140',
    notice: 'De gemeente Utrecht heeft haar stembureaus voor deze verkiezing (nog) niet gepubliceerd.',
    advice: /Kijk op uw stempas/,
  },
  {
    code: 'en',
    path: '/coverage',
    election: 'Election',
    show: 'Show',
    heading: 'Coverage: which municipalities have published',
    totals: /of the 343 municipalities have published \d+ polling stations between them\./,
    caption: /Every municipality\./,
    published: 'Published',
    notPublished: 'Not published',
    search: '/?e=gr2026&lat=52.37310&lon=4.89260',
    notice: 'The municipality of Amsterdam has not (yet) published its polling stations for this election.',
    advice: /Look at your poll card/,
  },
];

for (const l of languages) {
  test.describe(`coverage in ${l.code}`, () => {
    test.beforeEach(async ({ request }) => {
      test.skip(!(await hasRealData(request)), 'the real 2026 data is absent (../shared/data)');
    });

    test(`${l.path} shows every municipality, without JavaScript`, async ({ browser }) => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(`${l.path}?taal=${l.code}`);
      await expect(page.locator('html')).toHaveAttribute('lang', l.code);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(l.heading);
      // The election chooser, as a plain form.
      await page.getByLabel(l.election).selectOption('gr2026');
      await page.getByRole('button', { name: l.show }).click();
      await expect(page).toHaveURL(/[?&]e=gr2026/);
      await expect(page.locator('.coverage-totals')).toHaveText(l.totals);
      await expect(page.getByRole('img', { name: /./ }).locator('path').first()).toBeAttached();
      await expect(page.locator('.coverage-legend li')).toHaveText([
        new RegExp(`^${l.published} \\(`),
        new RegExp(`^${l.notPublished} \\(`),
      ]);
      const table = page.getByRole('table', { name: l.caption });
      await expect(table.locator('tbody tr')).toHaveCount(343);
      const utrecht = table.getByRole('row', { name: /^Utrecht / });
      await expect(utrecht.getByRole('cell').first()).toHaveText(l.notPublished);
      const oudewater = table.getByRole('row', { name: /^Oudewater / });
      await expect(oudewater.getByRole('cell').first()).toHaveText(l.published);
      await screenshot(page, `coverage-${l.code}`);

      // The CSV of the same figures, linked from /data.
      await page.goto(`/data?taal=${l.code}`);
      const csv = page.locator('a[href="/data/gr2026/dekking.csv"]');
      await expect(csv).toBeVisible();
      await expect(page.getByRole('link', { name: l.heading.split(':')[0] }).first()).toBeVisible();
      const response = await page.request.get('/data/gr2026/dekking.csv');
      expect(response.status()).toBe(200);
      expect((await response.text()).split('\n')[0]).toMatch(/^code,municipality,state,stations/);
      await context.close();
    });

    test(`/data, which links the CSV, has no axe violations (${l.code})`, async ({ page }) => {
      await page.goto(`/data?taal=${l.code}`);
      await expect(page.locator('html')).toHaveAttribute('lang', l.code);
      expect(await violations(page)).toEqual([]);
    });

    test(`${l.path} has no axe violations`, async ({ page }) => {
      // 343 rows of 17 cells take axe a while.
      test.setTimeout(90_000);
      await page.goto(`${l.path}?e=gr2026&taal=${l.code}`);
      await expect(page.locator('html')).toHaveAttribute('lang', l.code);
      expect(await violations(page)).toEqual([]);
    });

    test(`a search in a municipality without stations says so (${l.code})`, async ({ page }) => {
      await page.goto(`${l.search}&taal=${l.code}`);
      const notice = page.locator('.not-published');
      await expect(notice).toContainText(l.notice);
      await expect(notice).toContainText(l.advice);
      const stations = page.locator('li.station');
      await expect(stations).toHaveCount(5);
      await expect(stations.first().locator('.elsewhere')).toBeVisible();
      await screenshot(page, `not-published-${l.code}`);
      expect(await violations(page)).toEqual([]);
    });
  });
}

test('the page fits 320 pixels without scrolling sideways', async ({ browser, request }) => {
  test.skip(!(await hasRealData(request)), 'the real 2026 data is absent (../shared/data)');
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await page.goto('/dekking?e=gr2026');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});
