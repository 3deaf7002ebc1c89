import { readFileSync } from 'node:fs';
import { expect, test, violations } from './support';

// Issue 23, part 1: a voter reports a problem with a station, and an
// officer of its municipality handles it. serve-for-tests.sh makes the
// officer's account and writes its activation link into artifacts/.
const STATION = '/s/demo/gm9999-1';
const EMAIL = 'meldingen@demodorp.example';
const PASSWORD = 'een lange zin als wachtwoord';
const TEXT = 'Het stembureau gaat pas om 8 uur open, niet om half 8.';

test('a voter reports a problem in Dutch and an officer of the municipality marks it handled', async ({ page, problems }) => {
  // The form sent empty is refused, as the journey means it to be.
  problems.provokesStatus(422, /.*\/melden$/);
  await page.goto(STATION);
  const name = await page.getByRole('heading', { level: 1 }).textContent();
  await page.getByRole('link', { name: /^Klopt er iets niet\?/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Probleem melden: ${name}`);
  expect(await violations(page)).toEqual([]);

  // Sent without a choice or a text: each field is named, nothing is lost.
  await page.getByLabel('Uw e-mailadres (niet verplicht)').fill('kiezer@example.org');
  await page.getByRole('button', { name: 'Melding versturen' }).click();
  const problemsList = page.locator('.report-problems');
  await expect(problemsList).toContainText('Wat klopt er niet? Kies een van de mogelijkheden.');
  await expect(problemsList).toContainText('Wat is er mis? Beschrijf het probleem');
  await expect(page.getByLabel('Uw e-mailadres (niet verplicht)')).toHaveValue('kiezer@example.org');
  expect(await violations(page)).toEqual([]);

  await page.getByLabel('De openingstijden').check();
  await page.getByLabel('Wat is er mis?').fill(TEXT);
  await page.getByRole('button', { name: 'Melding versturen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bedankt voor uw melding');
  await expect(page.getByRole('status')).toContainText('Demodorp');
  expect(await violations(page)).toEqual([]);

  // The officer activates, signs in and finds the report in the queue.
  await page.goto(readFileSync('artifacts/report-activation-link.txt', 'utf8').trim());
  await page.getByLabel('Nieuw wachtwoord').fill(PASSWORD);
  await page.getByLabel('Nogmaals').fill(PASSWORD);
  await page.getByRole('button', { name: 'Account activeren' }).click();
  await page.getByLabel('E-mailadres').fill(EMAIL);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.goto('/portaal/demo/GM9999');
  await page.getByRole('link', { name: 'Meldingen van kiezers' }).click();
  await expect(page.getByRole('heading', { name: 'Nieuw (1)' })).toBeVisible();
  const report = page.locator('.voter-report');
  await expect(report).toContainText(TEXT);
  await expect(report).toContainText('kiezer@example.org');
  await expect(report.getByLabel('Antwoord om te kopiëren')).toHaveValue(new RegExp(`> ${TEXT}`));
  await expect(report.getByRole('link', { name: 'Dit stembureau corrigeren' })).toBeVisible();
  expect(await violations(page)).toEqual([]);

  await report.getByLabel('Stand').selectOption({ label: 'Afgehandeld' });
  await report.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByRole('heading', { name: 'Afgehandeld (1)' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Nieuw (0)' })).toBeVisible();
  await expect(page.locator('.voter-report')).not.toContainText('kiezer@example.org');

  // The queue in English.
  await page.goto('/portaal/demo/GM9999/meldingen?taal=en');
  await expect(page.getByRole('heading', { name: 'Handled (1)' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('an English voter reports a problem inside an embed, and every page fits a phone', async ({ browser, problems }) => {
  problems.provokesStatus(422, /.*\/melden\?lang=en&theme=dark$/);
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const fits = async () =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

  await page.goto(STATION);
  await page.getByRole('link', { name: /^Something wrong\?/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Report a problem: /);
  await fits();
  expect(await violations(page)).toEqual([]);

  // Inside an embed, with the host's language and theme kept throughout.
  await page.goto(`/embed${STATION}?lang=en&theme=dark`);
  await page.getByRole('link', { name: /^Something wrong\?/ }).click();
  await expect(page).toHaveURL(new RegExp(`/embed${STATION}/melden\\?lang=en&theme=dark$`));
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.locator('.report-problems')).toContainText('What is wrong? Choose one of the options.');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await fits();
  expect(await violations(page)).toEqual([]);

  await page.getByLabel('The place on the map').check();
  await page.getByLabel('What is the problem?').fill('The marker is on the wrong side of the canal.');
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for your report');
  await expect(page).toHaveURL(new RegExp(`/embed${STATION}/melden/verzonden\\?lang=en&theme=dark$`));
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await fits();
  expect(await violations(page)).toEqual([]);

  // The same confirmation outside the embed, light.
  await page.goto(`${STATION}/melden/verzonden`);
  expect(await violations(page)).toEqual([]);
  await context.close();
});
