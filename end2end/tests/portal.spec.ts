import { readFileSync } from 'node:fs';
import { expect, test, hasRealData, screenshot, violations } from './support';

// serve-for-tests.sh leaves Voerendaal out of the 2026 data, makes an
// account for its officer and writes the activation link and the template
// filled with Voerendaal's real stations into artifacts/.
const EMAIL = 'verkiezingen@voerendaal.nl';
const PASSWORD = 'een lange zin als wachtwoord';

/** A CSV a person got wrong: a latitude that is no number, a closing time
 * before the opening time. */
const BROKEN_CSV = [
  'CBS gemeentecode;Nummer stembureau;Naam stembureau;Type stembureau;Latitude;Longitude;Openingstijd;Sluitingstijd;Toegankelijk voor mensen met een lichamelijke beperking;Contactgegevens gemeente;Verkiezingswebsite gemeente',
  'GM0986;1;Gemeentehuis;regulier;vijftig;5.9290;2026-03-18T07:30:00;2026-03-18T06:00:00;ja;info@voerendaal.nl;https://www.voerendaal.nl',
].join('\n');

test('an officer activates, uploads the template, publishes, and voters find the stations; a broken file changes nothing', async ({ page, request, problems }) => {
  test.skip(!(await hasRealData(request)), 'needs ../shared/data (real 2026 stations)');
  // The refusals of a broken file are part of the journey.
  problems.provokesStatus(404, /.*\/g\/GM0986\?e=gr2026$/);
  problems.provokesStatus(422, /.*\/portaal\/gr2026\/GM0986$/);
  const voterPage = '/g/GM0986?e=gr2026';
  await page.goto(voterPage);
  await expect(page.locator('li.station')).toHaveCount(0);

  // Activate the account with the link the operator was given.
  const link = readFileSync('artifacts/activation-link.txt', 'utf8').trim();
  await page.goto(link);
  await page.getByLabel('Nieuw wachtwoord').fill(PASSWORD);
  await page.getByLabel('Nogmaals').fill(PASSWORD);
  await page.getByRole('button', { name: 'Account activeren' }).click();

  // Sign in.
  await expect(page.getByRole('heading', { name: 'Inloggen' })).toBeVisible();
  await page.getByLabel('E-mailadres').fill(EMAIL);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('heading', { name: 'Uw gemeenten' })).toBeVisible();
  const election = page.getByRole('region', { name: 'Gemeenteraadsverkiezingen 2026' });
  await expect(election.getByRole('row', { name: /Voerendaal/ })).toContainText('nog niets aangeleverd');
  expect(await violations(page)).toEqual([]);

  // Upload the filled template: a draft with six stations.
  await election.getByRole('link', { name: 'Voerendaal' }).click();
  await page.getByLabel('Bestand').setInputFiles('artifacts/voerendaal.xlsx');
  await page.getByRole('button', { name: 'Controleren en als concept opslaan' }).click();
  await expect(page.getByRole('status')).toContainText('met 6 stembureaus');
  await page.getByRole('link', { name: 'Concept bekijken en publiceren' }).click();
  await expect(page.getByRole('heading', { name: 'Nieuw (6)' })).toBeVisible();
  await expect(page.locator('#portal-map .leaflet-marker-icon')).toHaveCount(6);
  await screenshot(page, 'portal-draft-review');
  expect(await violations(page)).toEqual([]);
  await page.getByRole('button', { name: /^Publiceren/ }).click();
  await expect(page.getByText(/^gepubliceerd \(versie \d+, 6 stembureaus\)$/)).toBeVisible();

  // Voters see them at once.
  await page.goto(voterPage);
  await expect(page.locator('li.station')).toHaveCount(6);
  const published = await page.locator('li.station h2').allTextContents();

  // A broken file: every error named with its place and fix, nothing stored.
  await page.goto('/portaal/gr2026/GM0986');
  await page.getByLabel('Bestand').setInputFiles({ name: 'stembureaus.csv', mimeType: 'text/csv', buffer: Buffer.from(BROKEN_CSV) });
  await page.getByRole('button', { name: 'Controleren en als concept opslaan' }).click();
  await expect(page.getByRole('alert')).toContainText('Er is niets opgeslagen');
  const report = page.locator('.report');
  await expect(report.getByRole('heading', { name: 'regel 2' })).toBeVisible();
  await expect(report).toContainText('Latitude');
  await expect(report).toContainText('Sluitingstijd');
  await expect(report).toContainText('Oplossing:');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Dit rapport downloaden (tekst)' }).click();
  expect((await download).suggestedFilename()).toBe('rapport-stembureaus.csv.txt');
  await screenshot(page, 'portal-report');
  expect(await violations(page)).toEqual([]);
  await page.goto(voterPage);
  await expect(page.locator('li.station h2')).toHaveText(published);
});

test("dragging a station's marker on its form moves it, in a draft", async ({ page }) => {
  const link = readFileSync('artifacts/demo-activation-link.txt', 'utf8').trim();
  await page.goto(link);
  await page.getByLabel('Nieuw wachtwoord').fill(PASSWORD);
  await page.getByLabel('Nogmaals').fill(PASSWORD);
  await page.getByRole('button', { name: 'Account activeren' }).click();
  await page.getByLabel('E-mailadres').fill('verkiezingen@demodorp.example');
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.goto('/portaal/demo/GM9999');
  await page.getByRole('row', { name: /gepubliceerd/ }).getByRole('link').click();
  await page.getByRole('link', { name: /^Bewerken: / }).first().click();

  const latitude = page.getByLabel('Latitude', { exact: true });
  const before = await latitude.inputValue();
  const marker = page.locator('#portal-map .leaflet-marker-icon');
  await expect(marker).toHaveCount(1);
  await marker.scrollIntoViewIfNeeded();
  const box = (await marker.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 4);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 64, { steps: 8 });
  await page.mouse.up();
  await expect(latitude).not.toHaveValue(before);
  expect(Number(await latitude.inputValue())).toBeGreaterThan(Number(before));

  await page.getByRole('button', { name: 'Opslaan als concept' }).click();
  await expect(page.getByRole('heading', { name: 'Gewijzigd (1)' })).toBeVisible();
  await expect(page.locator('.diff')).toContainText('Latitude');
});

test('a portal page in an iframe on another site is refused', async ({ page, request, baseURL, problems }) => {
  problems.provokes(/^console error: Framing '.*' violates the following Content Security Policy directive: "frame-ancestors /);
  const response = await request.get('/portaal/inloggen');
  expect(response.headers()['x-frame-options']).toBe('DENY');
  expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  // The news-site stand-in frames it, as it frames embeds (which show).
  const url = new URL(baseURL!);
  const refused = page.waitForEvent('console', (message) => message.text().includes('frame-ancestors'));
  await page.goto(`http://${url.hostname}:${Number(url.port) + 2}/frame.html?src=/portaal/inloggen`);
  await refused;
  await expect(page.frameLocator('iframe').getByLabel('E-mailadres')).toHaveCount(0);
});
