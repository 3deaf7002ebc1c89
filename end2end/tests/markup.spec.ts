import { test, expect, type Page } from '@playwright/test';
import { watchForProblems } from './support';

// Two stations of election gr2018 (serve-for-tests.sh) are named and
// addressed in markup: `<img src=x id=injected><b id=bold>BOLD</b>`, a
// street `<i id=street>`, a place `<u id=place>` and a `<script>`. Anyone
// with a municipality's token can upload such a file, and a news site
// embeds what it shows: every place a name appears must show it as text.
const MADE_OF_MARKUP = '#injected, #bold, #street, #place, #scripted, img[src="x"]';

/** Hovers and clicks each of the map's `count` markers; returns the text of
 * every tooltip and popup that opened. */
async function hoverAndClickEveryMarker(page: Page, count: number): Promise<string> {
  const map = page.locator('.map');
  await map.scrollIntoViewIfNeeded();
  const markers = map.locator('path.leaflet-interactive');
  await expect(markers).toHaveCount(count);
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    await markers.nth(i).hover();
    await expect(map.locator('.leaflet-tooltip')).toBeVisible();
    seen.push(...(await map.locator('.leaflet-tooltip').allTextContents()));
    await markers.nth(i).click();
    seen.push(...(await map.locator('.leaflet-popup-content').allTextContents()));
    // Closed again, so that it covers no other marker.
    const close = map.locator('.leaflet-popup-close-button');
    if (await close.isVisible()) await close.click();
  }
  return seen.join('\n');
}

async function expectNothingMadeOfMarkup(page: Page) {
  expect(await page.locator(MADE_OF_MARKUP).count()).toBe(0);
  for (const frame of page.frames()) {
    expect(await frame.locator(MADE_OF_MARKUP).count()).toBe(0);
    expect(await frame.evaluate(() => (window as any).__injected)).toBeUndefined();
  }
}

test.describe('station text is text', () => {
  // The results page marks the searched place too.
  for (const [what, path, markers] of [
    ['the municipality page', '/g/GM0014?e=gr2018', 2],
    ['a results page', '/?e=gr2018&lat=53.2250&lon=6.5550', 3],
    ['an embed', '/embed/g/GM0014?e=gr2018', 2],
  ] as const) {
    test(`on ${what}, in the list, tooltips and popups`, async ({ page }) => {
      const problems = watchForProblems(page);
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await expect(page.getByText('<img src=x id=injected><b id=bold>BOLD</b>').first()).toBeVisible();
      const shown = await hoverAndClickEveryMarker(page, markers);
      // The tooltips and popups showed the markup as text.
      expect(shown).toContain('<img src=x id=injected><b id=bold>BOLD</b>');
      expect(shown).toContain('<script id=scripted>window.__injected = 1</script>Zaal');
      await expectNothingMadeOfMarkup(page);
      expect(problems).toEqual([]);
    });
  }

  test('on the station page, its title and address', async ({ page }) => {
    const problems = watchForProblems(page);
    await page.goto('/s/gr2018/gm0014-1');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('<img src=x id=injected><b id=bold>BOLD</b>');
    await expect(page).toHaveTitle(/<img src=x id=injected>/);
    await expect(page.getByText('<i id=street>Straat</i>', { exact: false }).first()).toBeVisible();
    await page.locator('.map').scrollIntoViewIfNeeded();
    await page.locator('.map path.leaflet-interactive').hover();
    await expect(page.locator('.leaflet-tooltip')).toHaveText('<img src=x id=injected><b id=bold>BOLD</b>');
    await expectNothingMadeOfMarkup(page);
    expect(problems).toEqual([]);
  });
});
