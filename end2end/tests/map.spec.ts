import type { Page } from '@playwright/test';
import { expect, test, screenshot, waitForHydration } from './support';

/** Every host the page asked for something, besides its own. */
function foreignHosts(page: Page, own: string): Set<string> {
  const hosts = new Set<string>();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.host !== own) hosts.add(url.host);
  });
  return hosts;
}

const ownHost = (baseURL: string | undefined) => new URL(baseURL!).host;
const tileHost = (baseURL: string | undefined) => {
  const url = new URL(baseURL!);
  return `${url.hostname}:${Number(url.port) + 1}`;
};

test.describe('the map', () => {
  test('shows the results and the searched place, with Leaflet from our own origin', async ({ page, baseURL }) => {
    const hosts = foreignHosts(page, ownHost(baseURL));
    const leaflet: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('leaflet')) leaflet.push(new URL(request.url()).pathname);
    });
    await page.goto('/?e=demo&q=9999AD');
    await waitForHydration(page);
    const map = page.getByRole('region', { name: 'Kaart van de stembureaus op deze pagina' });
    // On a phone the map follows the list: Leaflet is fetched only when a
    // voter scrolls to it.
    await page.waitForLoadState('networkidle');
    expect(leaflet).toEqual([]);
    await map.scrollIntoViewIfNeeded();
    await expect(map).toBeVisible();
    // Five stations and the searched place.
    await expect(map.locator('path.leaflet-interactive')).toHaveCount(6);
    await expect(map.locator('img.leaflet-tile-loaded').first()).toBeVisible();
    await expect(map).toContainText('Kaartgegevens © Kadaster');
    expect(leaflet.sort()).toEqual(['/vendor/leaflet/leaflet.css', '/vendor/leaflet/leaflet.js']);
    // The only other host is the (stand-in) tile service.
    expect([...hosts]).toEqual([tileHost(baseURL)]);
    await screenshot(page, 'map');

    // A marker opens a popup whose link leads to the station page, in place.
    await page.evaluate(() => ((window as any).__sameDocument = true));
    // The second station: the first lies under the searched place's marker.
    await map.locator('path.leaflet-interactive').nth(1).click();
    const popupLink = map.locator('.leaflet-popup a').first();
    await expect(popupLink).toHaveAttribute('href', /^\/s\/demo\/gm9999-\d+$/);
    const name = await popupLink.textContent();
    await popupLink.click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name!);
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  });

  test('when tiles fail, the stations are still on the map and in the list', async ({ page, baseURL, problems }) => {
    problems.provokes(/^console error: Failed to load resource: net::ERR_CONNECTION_REFUSED$/);
    await page.route(`http://${tileHost(baseURL)}/**`, (route) => route.abort('connectionrefused'));
    await page.goto('/?e=demo&q=9999AD');
    await waitForHydration(page);
    const map = page.locator('.map');
    await map.scrollIntoViewIfNeeded();
    await expect(map).toBeVisible();
    await expect(map.locator('path.leaflet-interactive')).toHaveCount(6);
    await expect(page.locator('li.station')).toHaveCount(5);
    await screenshot(page, 'map-without-tiles');
  });

  test('when Leaflet cannot be loaded, no empty map is left', async ({ page, problems }) => {
    problems.provokes(/^console error: Failed to load resource: net::ERR_CONNECTION_REFUSED$/);
    await page.route('**/vendor/leaflet/leaflet.js', (route) => route.abort('connectionrefused'));
    await page.goto('/?e=demo&q=9999AD');
    await waitForHydration(page);
    const map = page.locator('.map');
    await map.scrollIntoViewIfNeeded();
    await expect(map).toBeHidden();
    await expect(page.locator('li.station')).toHaveCount(5);
  });

  test('the municipality page maps all its stations', async ({ page }) => {
    await page.goto('/g/GM9999?e=demo');
    await page.waitForLoadState('networkidle');
    await page.locator('.map').scrollIntoViewIfNeeded();
    await expect(page.locator('.map path.leaflet-interactive')).toHaveCount(8);
  });

  test('without JavaScript no empty map is shown', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/?e=demo&q=9999AD');
    await expect(page.locator('li.station')).toHaveCount(5);
    await expect(page.locator('.map')).toBeHidden();
    await context.close();
  });
});

test('a station page shows where the station is', async ({ page }) => {
  await page.goto('/s/demo/gm9999-1');
  await page.waitForLoadState('networkidle');
  const map = page.getByRole('region', { name: 'Kaart van de stembureaus op deze pagina' });
  await map.scrollIntoViewIfNeeded();
  await expect(map.locator('path.leaflet-interactive')).toHaveCount(1);
  await screenshot(page, 'station-page-map');
});
