import type { Page } from '@playwright/test';
import { expect, test, screenshot } from './support';

/** The stand-in news site on another origin (host-site.mjs). */
const hostSite = (baseURL: string | undefined) => {
  const url = new URL(baseURL!);
  return `http://${url.hostname}:${Number(url.port) + 2}`;
};

const heights = (page: Page) => page.evaluate(() => (window as any).heights as number[]);
const pixels = (text: string) => Number(text.replace('px', ''));

test.describe('the embed on a news site', () => {
  test('the loader makes an iframe that searches in place and grows to fit', async ({ page, baseURL }) => {
    await page.goto(`${hostSite(baseURL)}/loader.html?election=demo`);
    const iframe = page.locator('[data-kieskaart] iframe');
    await expect(iframe).toHaveAttribute('src', `${baseURL}/embed?e=demo`);
    await expect(iframe).toHaveAttribute('allow', 'geolocation');
    const frame = page.frameLocator('[data-kieskaart] iframe');
    // Hydrated: the location button shows.
    await expect(frame.getByRole('button', { name: 'Gebruik mijn locatie' })).toBeVisible();
    await expect.poll(async () => (await heights(page)).length).toBeGreaterThan(0);
    const before = pixels(await iframe.evaluate((element) => (element as HTMLElement).style.height));
    expect(before).not.toBe(600);

    await frame.getByLabel('Postcode en huisnummer, straat of plaats').fill('9999AD');
    await frame.getByRole('button', { name: 'Zoeken' }).click();
    await expect(frame.locator('li.station')).toHaveCount(5);
    // The iframe follows its content: taller with results, with nothing cut off.
    await expect
      .poll(async () => pixels(await iframe.evaluate((element) => (element as HTMLElement).style.height)))
      .toBeGreaterThan(before + 200);
    const content = await frame.locator('body').evaluate((body) => Math.ceil(body.getBoundingClientRect().height));
    const frameHeight = pixels(await iframe.evaluate((element) => (element as HTMLElement).style.height));
    expect(Math.abs(frameHeight - content)).toBeLessThanOrEqual(2);
    // Station links leave the host's page for a new tab.
    const link = frame.locator('li.station h3 a').first();
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener');
    await screenshot(page, 'embed-on-a-news-site');
  });

  test('lang=en, map=0 and search=0 give an English list without form or map', async ({ page, baseURL }) => {
    await page.goto(`${hostSite(baseURL)}/loader.html?election=demo&municipality=GM9999&lang=en&map=0&search=0`);
    const iframe = page.locator('[data-kieskaart] iframe');
    await expect(iframe).toHaveAttribute('src', `${baseURL}/embed/g/GM9999?e=demo&lang=en&search=0&map=0`);
    const frame = page.frameLocator('[data-kieskaart] iframe');
    await expect(frame.locator('html')).toHaveAttribute('lang', 'en');
    await expect(frame.getByRole('heading', { name: 'Polling stations in Demodorp (demo)' })).toBeVisible();
    await expect(frame.locator('li.station')).toHaveCount(8);
    await expect(frame.locator('form')).toHaveCount(0);
    await expect(frame.getByRole('textbox')).toHaveCount(0);
    await expect(frame.locator('.map')).toHaveCount(0);
  });

  test('geolocation works when the host grants it', async ({ page, context, baseURL }) => {
    // Chrome asks the top-level site (the host) for a framed page's
    // permission, which its allow="geolocation" then delegates.
    await context.grantPermissions(['geolocation'], { origin: hostSite(baseURL) });
    await context.setGeolocation({ latitude: 52.0907, longitude: 5.1214 });
    await page.goto(`${hostSite(baseURL)}/loader.html?election=demo&lang=en`);
    const frame = page.frameLocator('[data-kieskaart] iframe');
    await frame.getByRole('button', { name: 'Use my location' }).click();
    await expect(frame.getByRole('heading', { name: 'Polling stations near your location' })).toBeVisible();
    await expect(frame.locator('li.station')).toHaveCount(5);
    // The results keep the host's language in the URL.
    const src = await frame.locator('html').evaluate(() => location.search);
    expect(src).toContain('lang=en');
  });

  test('our own pages refuse to be framed by another site, embeds do not', async ({ page, baseURL, problems }) => {
    problems.provokes(/^console error: Framing '.*' violates the following Content Security Policy directive: "frame-ancestors /);
    const refused = page.waitForEvent('console', (message) => message.text().includes('frame-ancestors'));
    await page.goto(`${hostSite(baseURL)}/frame.html?src=/`);
    await refused;
    await expect(page.frameLocator('iframe').getByRole('heading', { name: 'Waar kan ik stemmen?' })).toHaveCount(0);

    await page.goto(`${hostSite(baseURL)}/frame.html?src=/embed`);
    await expect(page.frameLocator('iframe').getByRole('heading', { name: 'Waar kan ik stemmen?' })).toBeVisible();
  });
});

test.describe('the embed builder', () => {
  test('shows the chosen embed and copies its snippet', async ({ page, context, baseURL }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
    await page.goto('/insluiten?e=demo');
    await page.getByLabel('Gemeente').selectOption('GM9999');
    await page.getByLabel('Taal van de zoeker').selectOption('en');
    await page.getByLabel('Kaart', { exact: true }).selectOption('0');
    await page.getByRole('button', { name: 'Voorbeeld bijwerken' }).click();
    const preview = page.locator('iframe.preview');
    await expect(preview).toHaveAttribute('src', '/embed/g/GM9999?e=demo&lang=en&map=0');
    await expect(page.frameLocator('iframe.preview').getByRole('heading', { name: 'Polling stations in Demodorp (demo)' })).toBeVisible();
    const snippet = await page.locator('pre.snippet').textContent();
    expect(snippet).toContain('data-municipality="GM9999" data-lang="en" data-map="0"');
    await page.getByRole('button', { name: 'Kopieer de code' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'klembord' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
  });
});
