import { readFile } from 'node:fs/promises';
import { expect, hasRealData, test, violations } from './support';

// Issue 23, part 3: what to bring and where you may vote, a station's
// accessibility in three states, and "Zet in agenda". Everything here is
// server-rendered and works without JavaScript.

test.describe('what to bring and where you may vote', () => {
  test('the card on results and the station page, in Dutch', async ({ page }) => {
    await page.goto('/?e=demo&q=9999AD&needs=host');
    const card = page.getByRole('region', { name: 'Wat neemt u mee?' });
    await expect(card).toContainText('Uw stempas en een geldig identiteitsbewijs');
    // The demo's polling day is 20 March 2030: five years back.
    await expect(card).toContainText('op of na 20 maart 2025 is verlopen');
    const lost = card.locator('details').filter({ hasText: 'Stempas kwijt of niet ontvangen?' });
    await expect(lost.getByText('vervangende stempas')).toBeHidden();
    await lost.getByText('Stempas kwijt of niet ontvangen?').click();
    await expect(lost.getByText(/vervangende stempas/)).toBeVisible();

    // The result's link carries the need the voter searched with.
    await page.locator('li.station h3 a').first().click();
    await expect(page).toHaveURL(/\/s\/demo\/gm9999-1\?needs=host$/);
    const access = page.getByRole('region', { name: 'Toegankelijkheid' });
    const searched = access.getByRole('list').first();
    await expect(access.getByRole('heading').nth(1)).toHaveText('Waar u op zocht');
    await expect(searched.getByRole('listitem')).toHaveText(['Gastvrouw of gastheer bij de ingang: ja']);
    await expect(access.getByRole('listitem').filter({ hasText: 'Prikkelarm' })).toHaveText(
      'Prikkelarm: niet vermeld door de gemeente',
    );
    await expect(page.getByRole('region', { name: 'Wat neemt u mee?' })).toBeVisible();
  });

  test('the card and the three states in English', async ({ page }) => {
    await page.goto('/?e=demo&q=9999AD&taal=en');
    const card = page.getByRole('region', { name: 'What to bring' });
    await expect(card).toContainText('expired on or after 20 March 2025');
    await expect(card.locator('summary')).toHaveText([
      "Where you may vote: the voter's pass (kiezerspas)",
      "Can't go yourself? Voting by proxy (volmacht)",
      'Lost your poll card, or never got one?',
    ]);
    await page.goto('/s/demo/gm9999-4?needs=low-stimulus&taal=en');
    const access = page.getByRole('region', { name: 'Accessibility' });
    await expect(access.getByRole('list').first().getByRole('listitem')).toHaveText(['Low-stimulus: no']);
    await expect(access.getByRole('heading', { name: 'Other facilities' })).toBeVisible();
    await expect(access.getByRole('listitem').filter({ hasText: 'Host at the entrance' })).toHaveText(
      'Host at the entrance: not stated by the municipality',
    );
  });

  test('in the real municipal elections the card says there is no kiezerspas', async ({ page, request }) => {
    test.skip(!(await hasRealData(request)), 'needs ../shared/data');
    const nearest = await (
      await request.get('/api/v1/elections/gr2026/stations/nearest?lat=52.0217&lon=4.8684&k=1')
    ).json();
    const id = nearest.stations[0].id;
    await page.goto(`/s/gr2026/${id}`);
    const card = page.getByRole('region', { name: 'Wat neemt u mee?' });
    await expect(card).toContainText('Bij gemeenteraadsverkiezingen bestaat geen kiezerspas');
    await expect(card).toContainText('in uw eigen gemeente kiezer zijn');
    await page.goto(`/s/gr2026/${id}?taal=en`);
    await expect(page.getByRole('region', { name: 'What to bring' })).toContainText(
      'Municipal elections have no voter',
    );
  });

  test('the pages fit 320 pixels without scrolling sideways', async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    for (const path of ['/?e=demo&q=9999AD&needs=host', '/s/demo/gm9999-4?needs=low-stimulus&taal=en']) {
      await page.goto(path);
      await page.locator('.bring details').evaluateAll((all) => all.forEach((d) => d.setAttribute('open', '')));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await context.close();
  });

  test('a special station warns of limited access', async ({ page }) => {
    await page.goto('/s/demo/gm9999-6');
    await expect(page.getByText('Bijzonder stembureau (bijvoorbeeld in een zorgcentrum)')).toBeVisible();
  });

  test('the card opens without JavaScript and is in the embed', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/s/demo/gm9999-1');
    const card = page.getByRole('region', { name: 'Wat neemt u mee?' });
    await card.getByText('Kunt u niet zelf gaan? Stemmen bij volmacht').click();
    await expect(card.getByText(/hoogstens twee anderen/)).toBeVisible();
    await page.goto('/embed/s/demo/gm9999-1?lang=en&search=0&map=0');
    await expect(page.getByRole('region', { name: 'What to bring' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Add to calendar' })).toBeVisible();
    await context.close();
  });
});

test.describe('Zet in agenda', () => {
  test('downloads the opening period as a calendar file', async ({ page, baseURL }) => {
    await page.goto('/s/demo/gm9999-1');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Zet in agenda' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('stembureau-gm9999-1.ics');
    const text = await readFile(await file.path(), 'utf8');
    const lines = text.replace(/\r\n /g, '').split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    // 07:30-21:00 in Amsterdam, UTC+1 in March.
    expect(lines).toContain('DTSTART:20300320T063000Z');
    expect(lines).toContain('DTEND:20300320T200000Z');
    expect(lines).toContain('SUMMARY:Stemmen in Demo: Dorpshuis De Linde');
    expect(lines).toContain(`URL:${baseURL}/s/demo/gm9999-1`);
    expect(lines.some((line) => line.startsWith('LOCATION:') && line.includes('Demodorp'))).toBe(true);
  });

  test('an unknown station gets a clear page', async ({ page, problems }) => {
    problems.provokesStatus(404, /.*\/agenda\.ics(\?.*)?$/);
    const response = await page.goto('/s/demo/gm9999-99/agenda.ics');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dit stembureau bestaat niet (meer)');
    await expect(page.getByRole('link', { name: 'Zoek een stembureau' })).toHaveAttribute('href', '/');
  });
});

const pages = [
  '/?e=demo&q=9999AD&needs=host',
  '/s/demo/gm9999-1?needs=host',
  '/s/demo/gm9999-6',
];

for (const language of ['nl', 'en']) {
  test.describe(`axe-core in ${language}`, () => {
    for (const path of pages) {
      test(`${path} with the card opened has no violations`, async ({ page }) => {
        await page.goto(`${path}${path.includes('?') ? '&' : '?'}taal=${language}`);
        await page.waitForLoadState('networkidle');
        await expect(page.locator('html')).toHaveAttribute('lang', language);
        await page.locator('.bring details').evaluateAll((all) => all.forEach((d) => d.setAttribute('open', '')));
        expect(await violations(page)).toEqual([]);
      });
    }

    test('the embedded station page has no violations', async ({ page }) => {
      await page.goto(`/embed/s/demo/gm9999-4?lang=${language}`);
      await page.waitForLoadState('networkidle');
      expect(await violations(page)).toEqual([]);
    });

    test('the missing calendar page has no violations', async ({ page, problems }) => {
      problems.provokesStatus(404, /.*\/agenda\.ics(\?.*)?$/);
      await page.goto(`/s/demo/gm9999-99/agenda.ics?taal=${language}`);
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      expect(await violations(page)).toEqual([]);
    });
  });
}
