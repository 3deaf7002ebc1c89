import { expect, test, screenshot, waitForHydration } from './support';

test.describe('in English', () => {
  test('the switch keeps the search, and the hydrated page goes on in English', async ({ page }) => {
    await page.goto('/?e=demo&q=Demodorp');
    await waitForHydration(page);
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Where can I vote?');
    await expect(page.locator('li.station')).toHaveCount(5);
    await expect(page.locator('li.station').first()).toContainText('as the crow flies');
    await waitForHydration(page);

    // A search made in place by the hydrated app is in English too.
    await page.getByLabel('Postcode and house number, street or place').fill('9999 AD');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/[?&]q=9999\+AD/);
    const first = page.locator('li.station').first();
    await expect(first.locator('h3')).toHaveText('Demo: Kerkzaal De Toren');
    await expect(first).toContainText('Not accessible to wheelchair users');
    await expect(first).toContainText('Wednesday 20 March');
    await screenshot(page, 'search-in-english');

    // The choice is remembered for the next page loaded.
    await page.goto('/over');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('About Kieskaart');
    await page.getByRole('link', { name: 'Nederlands' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Over Kieskaart');
  });

  test('a browser set to English gets English, with the wheelchair filter and without JavaScript', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/?e=demo');
    await page.getByText('Accessibility', { exact: true }).click();
    await page.getByLabel('Accessible to wheelchair users').check();
    await page.getByLabel('Postcode and house number, street or place').fill('9999 AD');
    await page.getByRole('button', { name: 'Search' }).click();
    const names = await page.locator('li.station h3').allTextContents();
    expect(names).toHaveLength(5);
    expect(names).not.toContain('Demo: Kerkzaal De Toren');
    await screenshot(page, 'wheelchair-filter-in-english');
    await context.close();
  });

  test('"use my location" in English', async ({ browser }) => {
    const context = await browser.newContext({
      locale: 'en-GB',
      geolocation: { latitude: 52.0942, longitude: 5.6494 },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    await page.goto('/?e=demo');
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Use my location' }).click();
    await expect(page).toHaveURL(/lat=52\.09420&lon=5\.64940/);
    await expect(page.locator('#results-heading')).toHaveText('Polling stations near your location');
    await expect(page.locator('li.station').first().locator('h3')).toHaveText('Demo: Sporthal Het Veld');
    await screenshot(page, 'location-in-english');
    await context.close();
  });
});
