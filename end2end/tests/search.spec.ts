import { expect, test, hasRealData, screenshot, waitForHydration } from './support';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('submitting the form lists the nearest stations', async ({ page }) => {
    await page.goto('/?e=demo');
    await page.getByLabel('Postcode en huisnummer, straat of plaats').fill('Demodorp');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await expect(page).toHaveURL(/[?&]q=Demodorp/);
    const stations = page.locator('li.station');
    await expect(stations).toHaveCount(5);
    await expect(stations.first().locator('h3')).toHaveText('Demo: Dorpshuis De Linde');
    await expect(stations.first()).toContainText('07:30');
    await screenshot(page, 'search-without-javascript');
  });

  test('the wheelchair filter leaves out stations without access', async ({ page }) => {
    await page.goto('/?e=demo');
    await page.getByText('Toegankelijkheid', { exact: true }).click();
    await page.getByLabel('Toegankelijk voor rolstoelgebruikers').check();
    await page.getByLabel('Postcode en huisnummer, straat of plaats').fill('9999 AD');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await expect(page).toHaveURL(/needs=wheelchair/);
    const names = await page.locator('li.station h3').allTextContents();
    expect(names).toHaveLength(5);
    expect(names).not.toContain('Demo: Kerkzaal De Toren');
    await expect(page.getByLabel('Toegankelijk voor rolstoelgebruikers')).toBeChecked();
    await screenshot(page, 'wheelchair-filter-without-javascript');
  });

  test('at Rotterdam city hall, the wheelchair filter lists an accessible station first', async ({ page, request }) => {
    test.skip(!(await hasRealData(request)), 'real 2026 data absent: ../shared/data is not beside the project');
    // The two stations in the Stadhuis (Coolsingel 40) have no wheelchair access.
    await page.goto('/?e=gr2026&q=3011AD');
    await expect(page.locator('li.station h3').first()).toHaveText('Stadhuis');
    await page.goto('/?e=gr2026&q=3011AD&needs=wheelchair');
    const first = page.locator('li.station').first();
    await expect(first.locator('h3')).not.toHaveText('Stadhuis');
    await expect(first).toContainText('Toegankelijk voor rolstoelgebruikers');
    await expect(page.locator('li.station', { hasText: 'Coolsingel 40' })).toHaveCount(0);
    await screenshot(page, 'wheelchair-filter-rotterdam');
  });

  test('the location button is not offered, since it would not work', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Gebruik mijn locatie' })).toBeHidden();
  });
});

test.describe('with JavaScript', () => {
  test('"use my location" at a real station lists that station first, without a reload', async ({ browser, request }) => {
    test.skip(!(await hasRealData(request)), 'real 2026 data absent: ../shared/data is not beside the project');
    // Muziekhuis, Kapellestraat 39, Oudewater, as published for 2026.
    const context = await browser.newContext({
      geolocation: { latitude: 52.02102242, longitude: 4.87452115 },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    await page.goto('/?e=gr2026');
    await waitForHydration(page);
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await page.getByRole('button', { name: 'Gebruik mijn locatie' }).click();
    await expect(page).toHaveURL(/[?&]lat=52\.02102&lon=4\.87452/);
    const first = page.locator('li.station').first();
    await expect(first.locator('h3')).toHaveText('Muziekhuis');
    await expect(first).toContainText('0 m hemelsbreed');
    await expect(first).toContainText('07:30');
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    await screenshot(page, 'search-by-location-oudewater');
    await context.close();
  });

  test('"use my location" works on the demo data too', async ({ browser }) => {
    const context = await browser.newContext({
      geolocation: { latitude: 52.0942, longitude: 5.6494 },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    await page.goto('/?e=demo');
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Gebruik mijn locatie' }).click();
    await expect(page.locator('li.station').first().locator('h3')).toHaveText('Demo: Sporthal Het Veld');
    await expect(page).toHaveURL(/e=demo&lat=52\.09420&lon=5\.64940/);
    await context.close();
  });

  test('a denied location says so and offers the search field instead', async ({ browser }) => {
    const context = await browser.newContext({ permissions: [] });
    const page = await context.newPage();
    await page.goto('/?e=demo');
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Gebruik mijn locatie' }).click();
    await expect(page.getByRole('status')).toContainText('Zoek op postcode of plaats');
    await screenshot(page, 'location-denied');
    await context.close();
  });

  test('searching updates the results in place and keeps the URL shareable', async ({ page }) => {
    await page.goto('/?e=demo');
    await waitForHydration(page);
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await page.getByLabel('Postcode en huisnummer, straat of plaats').fill('9999 AD');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await expect(page).toHaveURL(/[?&]q=9999\+AD/);
    await expect(page.locator('li.station').first().locator('h3')).toHaveText('Demo: Kerkzaal De Toren');
    await expect(page.locator('li.station').first()).toContainText('Niet toegankelijk voor rolstoelgebruikers');
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    await screenshot(page, 'search-in-place');

    // The shared URL renders the same answer on the server.
    const shared = await page.context().newPage();
    await shared.goto(page.url());
    await expect(shared.locator('li.station').first().locator('h3')).toHaveText('Demo: Kerkzaal De Toren');
  });

  test('a result opens its station page in place, and the page links back', async ({ page }) => {
    await page.goto('/?e=demo&q=Demodorp');
    await waitForHydration(page);
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await page.getByRole('link', { name: 'Demo: Dorpshuis De Linde' }).click();
    await expect(page).toHaveURL(/\/s\/demo\/gm9999-1$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: Dorpshuis De Linde');
    await expect(page).toHaveTitle('Demo: Dorpshuis De Linde – Kieskaart');
    await expect(page.getByRole('link', { name: 'Route (OpenStreetMap)' })).toHaveAttribute(
      'href',
      'https://www.openstreetmap.org/directions?to=52.100000%2C5.640000',
    );
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    await screenshot(page, 'station-page');

    // Loaded directly, the station page hydrates too: its link navigates in place.
    await page.goto('/s/demo/gm9999-1');
    // No control here shows hydration; once the bundle is fetched and idle, it has run.
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await page.getByRole('link', { name: 'Zoek een ander stembureau' }).click();
    await waitForHydration(page);
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  });

  test('a station page leads to all stations of its municipality, and the footer to the about page', async ({ page }) => {
    await page.goto('/s/demo/gm9999-1');
    await page.waitForLoadState('networkidle');
    await page.getByRole('link', { name: 'Alle stembureaus in Demodorp (demo)' }).click();
    await expect(page).toHaveURL(/\/g\/GM9999\?e=demo$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Stembureaus in Demodorp (demo)');
    await expect(page.locator('li.station')).toHaveCount(8);
    await screenshot(page, 'municipality-page');

    await page.getByRole('link', { name: 'Demo: Sporthal Het Veld' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: Sporthal Het Veld');

    await page.getByRole('link', { name: 'Over Kieskaart, de gegevens en uw privacy' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Over Kieskaart');
    await expect(page.getByRole('heading', { name: 'Licentie' })).toBeVisible();
    await screenshot(page, 'about-page');
  });

  test('back and forward show earlier answers in place, and the focus goes to the answer', async ({ page }) => {
    const field = page.getByLabel('Postcode en huisnummer, straat of plaats');
    const first = page.locator('li.station').first().locator('h3');
    await page.goto('/?e=demo&q=Demodorp');
    await waitForHydration(page);
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await field.fill('9999 AD');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await expect(first).toHaveText('Demo: Kerkzaal De Toren');
    // A screen reader goes on with the answer, not from the top of the page.
    await expect(page.getByRole('heading', { name: 'Stembureaus bij 9999 AD' })).toBeFocused();

    await page.goBack();
    await expect(page).toHaveURL(/[?&]q=Demodorp$/);
    await expect(first).toHaveText('Demo: Dorpshuis De Linde');
    await expect(field).toHaveValue('Demodorp');
    await page.goForward();
    await expect(first).toHaveText('Demo: Kerkzaal De Toren');
    // The page shown in place has come to life: its location button shows.
    await waitForHydration(page);
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  });

  test('the skip link jumps within the page, and pages without the bundle load as pages', async ({ page }) => {
    await page.goto('/?e=demo&q=Demodorp');
    await waitForHydration(page);
    await page.evaluate(() => ((window as any).__sameDocument = true));
    const fetched: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'fetch') fetched.push(request.url());
    });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#main$/);
    // Neither the jump nor going back from it fetches the page again.
    await page.goBack();
    await expect(page).toHaveURL(/q=Demodorp$/);
    await expect(page.locator('li.station').first().locator('h3')).toHaveText('Demo: Dorpshuis De Linde');
    expect(fetched).toEqual([]);
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

    await page.getByRole('link', { name: 'Open data' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Open data');
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBeUndefined();
  });

  test('hydration leaves no warning or error in the console', async ({ page }) => {
    for (const path of ['/', '/?e=demo&q=Demodorp', '/?e=demo&q=Nergenshuizen', '/?lat=52.1&lon=5.64']) {
      await page.goto(path);
      await waitForHydration(page);
    }
  });
});
