import type { Page } from '@playwright/test';
import { expect, test } from './support';

// Two stations of election gr2018 (serve-for-tests.sh) are named and
// addressed in markup: `<img src=x id=injected><b id=bold>BOLD</b>`, a
// street `<i id=street>`, a place `<u id=place>` and a `<script>`. Anyone
// with a municipality's token can upload such a file, and a news site
// embeds what it shows: every place a name appears must show it as text.
const MADE_OF_MARKUP = '#injected, #bold, #street, #place, #scripted, img[src="x"]';

/** Opens `path` once per marker of its map (`count` of them), hovers and
 * clicks that marker, and checks after each that nothing was made of
 * markup; returns the text of every tooltip and popup that opened. A new
 * page per marker: an open popup pans the map, which can move the next
 * marker out of view. */
async function hoverAndClickEveryMarker(page: Page, path: string, count: number): Promise<string> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    const map = page.locator('.map');
    await map.scrollIntoViewIfNeeded();
    const markers = map.locator('path.leaflet-interactive');
    await expect(markers).toHaveCount(count);
    // Drawn once Leaflet has laid the map out ("M0 0" until then).
    await expect(markers.nth(i)).not.toHaveAttribute('d', 'M0 0');
    await markers.nth(i).hover();
    await expect(map.locator('.leaflet-tooltip').first()).toBeVisible();
    seen.push(...(await map.locator('.leaflet-tooltip').allTextContents()));
    await markers.nth(i).click();
    seen.push(...(await map.locator('.leaflet-popup-content').allTextContents()));
    await expectNothingMadeOfMarkup(page);
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
  // Results mark the searched place too, which keeps both stations away
  // from the corners of the map (a station in a corner lies under the
  // zoom buttons, where no pointer reaches it).
  for (const [what, path, markers] of [
    ['the municipality page', '/g/GM0014?e=gr2018', 2],
    ['a results page', '/?e=gr2018&lat=53.2250&lon=6.5550', 3],
  ] as const) {
    test(`on ${what}, in the list, tooltips and popups`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByText('<img src=x id=injected><b id=bold>BOLD</b>').first()).toBeVisible();
      const shown = await hoverAndClickEveryMarker(page, path, markers);
      // The tooltips and popups showed the markup as text.
      expect(shown).toContain('<img src=x id=injected><b id=bold>BOLD</b>');
      expect(shown).toContain('<script id=scripted>window.__injected = 1</script>Zaal');
      await expectNothingMadeOfMarkup(page);
    });
  }

  // An embed draws the same map island; in its layout Playwright's pointer
  // cannot settle on a marker, so it is checked with the map drawn.
  test('in an embed, with its map drawn', async ({ page }) => {
    await page.goto('/embed/g/GM0014?e=gr2018');
    await expect(page.getByText('<img src=x id=injected><b id=bold>BOLD</b>').first()).toBeVisible();
    const map = page.locator('.map');
    await map.scrollIntoViewIfNeeded();
    await expect(map.locator('path.leaflet-interactive')).toHaveCount(2);
    await expectNothingMadeOfMarkup(page);
  });

  test('on the station page, its title and address', async ({ page }) => {
    await page.goto('/s/gr2018/gm0014-1');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('<img src=x id=injected><b id=bold>BOLD</b>');
    await expect(page).toHaveTitle(/<img src=x id=injected>/);
    await expect(page.getByText('<i id=street>Straat</i>', { exact: false }).first()).toBeVisible();
    await page.locator('.map').scrollIntoViewIfNeeded();
    await page.locator('.map path.leaflet-interactive').hover();
    await expect(page.locator('.leaflet-tooltip')).toHaveText('<img src=x id=injected><b id=bold>BOLD</b>');
    await expectNothingMadeOfMarkup(page);
  });
});
