import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test, violations, type Page } from './support';

// serve-for-tests.sh makes an officer of the demo municipality and an admin
// for this journey, and registers a webhook for the demo election to the
// news-site stand-in (host-site.mjs), writing the links and the hook's
// secret into artifacts/.
const OFFICER = 'feed@demodorp.example';
const ADMIN = 'beheer@feed.example';
const PASSWORD = 'een lange zin als wachtwoord';
const CHANGED_FIELD = 'Extra toegankelijkheidsinformatie';

async function activateAndSignIn(page: Page, linkFile: string, email: string) {
  await page.goto(readFileSync(linkFile, 'utf8').trim());
  await page.getByLabel('Nieuw wachtwoord').fill(PASSWORD);
  await page.getByLabel('Nogmaals').fill(PASSWORD);
  await page.getByRole('button', { name: 'Account activeren' }).click();
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

/** The code an authenticator app with this base32 secret shows now (RFC 6238). */
function appCode(secret: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}

/** A CSV line's fields as written (quotes kept), split at the commas
 * outside quotes. */
function fields(line: string): string[] {
  const found: string[] = [];
  let [start, quoted] = [0, false];
  for (let i = 0; i <= line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if ((line[i] === ',' && !quoted) || i === line.length) {
      found.push(line.slice(start, i));
      start = i + 1;
    }
  }
  return found;
}

/** The demo municipality's download with one empty field of its first
 * station filled in: the change the officer publishes. */
function withOneChange(csv: string): string {
  const lines = csv.split('\n');
  const column = fields(lines[0]).indexOf(CHANGED_FIELD);
  const first = fields(lines[1]);
  expect(first[column]).toBe('');
  first[column] = 'Ingang aan de achterkant';
  lines[1] = first.join(',');
  return lines.join('\n');
}

test('a publication in the portal is a feed entry with its diff, and a signed webhook delivery the admin sees', async ({ page, request, baseURL }) => {
  const before = await (await request.get('/data/demo/changes.json')).json();

  // An officer publishes a change to the demo municipality in the portal.
  await activateAndSignIn(page, 'artifacts/feed-officer-link.txt', OFFICER);
  const download = await request.get('/data/demo/GM9999.csv');
  const file = withOneChange(await download.text());
  await page.goto('/portaal/demo/GM9999');
  await page.getByLabel('Bestand').setInputFiles({ name: 'demodorp.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
  await page.getByRole('button', { name: 'Controleren en als concept opslaan' }).click();
  await page.getByRole('link', { name: 'Concept bekijken en publiceren' }).click();
  await expect(page.getByRole('heading', { name: 'Gewijzigd (1)' })).toBeVisible();
  await page.getByRole('button', { name: /^Publiceren/ }).click();
  await expect(page.getByText(/^gepubliceerd \(versie \d+, 8 stembureaus\)$/)).toBeVisible();

  // The JSON feed has the entry first, with its diff and downloads.
  const json = await request.get('/data/demo/changes.json');
  expect(json.headers()['content-type']).toBe('application/feed+json');
  const feed = await json.json();
  expect(feed.items.length).toBe(before.items.length + 1);
  const entry = feed.items[0];
  expect(entry._kieskaart.published_by).toBe('portal');
  expect(entry._kieskaart.municipality.code).toBe('GM9999');
  expect(entry._kieskaart.added).toEqual([]);
  expect(entry._kieskaart.removed).toEqual([]);
  expect(entry._kieskaart.changed).toEqual([{ station: 'Demo: Dorpshuis De Linde', fields: [CHANGED_FIELD] }]);
  expect(entry._kieskaart.downloads.csv).toBe(`${baseURL}/data/demo/versions/${entry._kieskaart.version}/GM9999.csv`);
  const published = await request.get(entry._kieskaart.downloads.csv);
  expect(await published.text()).toContain('Ingang aan de achterkant');
  expect(feed.items.slice(1)).toEqual(before.items);

  // So does the Atom feed, and a reader polling with its tag gets a 304.
  const atom = await request.get('/data/demo/changes.atom');
  expect(atom.headers()['content-type']).toBe('application/atom+xml');
  const xml = await atom.text();
  expect(xml).toContain(`<summary type="text">0 added, 0 removed, 1 changed (fields: ${CHANGED_FIELD})</summary>`);
  expect(xml.match(/<entry>/g)?.length).toBe(feed.items.length);
  const unchanged = await request.get('/data/demo/changes.atom', { headers: { 'if-none-match': atom.headers()['etag'] } });
  expect(unchanged.status()).toBe(304);

  // The data page links both feeds, in both languages, and passes axe.
  // (English first: the language chosen last stays for the pages after.)
  for (const [path, name] of [['/data?taal=en', 'Atom feed of the changes to Demoverkiezing (voorbeeldgegevens)'], ['/data?taal=nl', 'Atom-feed van de wijzigingen in Demoverkiezing (voorbeeldgegevens)']]) {
    await page.goto(path);
    await expect(page.getByRole('link', { name })).toHaveAttribute('href', '/data/demo/changes.atom');
    expect(await violations(page)).toEqual([]);
  }

  // The webhook received the same entry, signed with the hook's secret.
  const secret = readFileSync('artifacts/feed-webhook-secret.txt', 'utf8').trim();
  const receiver = `http://127.0.0.1:${Number(new URL(baseURL!).port) + 2}/hook`;
  await expect.poll(async () => (await (await request.get(receiver)).json()).length, { timeout: 15_000 }).toBeGreaterThan(0);
  const [delivery] = await (await request.get(receiver)).json();
  const signature = 'sha256=' + createHmac('sha256', secret).update(delivery.body).digest('hex');
  expect(delivery.headers['x-kieskaart-signature']).toBe(signature);
  expect(JSON.parse(delivery.body)).toEqual(entry);

  // The officer puts the demo back as it was, for the other journeys.
  await page.goto('/portaal/demo/GM9999');
  await page.getByRole('row', { name: /eerder/ }).first().getByRole('link').click();
  await page.getByRole('button', { name: 'Deze versie terugzetten (als nieuwe versie)' }).click();
  await expect(page.getByText(/^gepubliceerd \(versie \d+, 8 stembureaus\)$/)).toBeVisible();
  await page.context().clearCookies();

  // An admin sees the deliveries on the overview, in both languages.
  await activateAndSignIn(page, 'artifacts/feed-admin-link.txt', ADMIN);
  const key = (await page.locator('code.secret').textContent())!.trim();
  await page.getByLabel('Code van de nieuwe app').fill(appCode(key));
  await page.getByRole('button', { name: 'Instellen' }).click();
  const webhooks = page.getByRole('region', { name: 'Webhooks van de wijzigingenfeed' });
  await expect(async () => {
    await page.goto('/portaal/beheer');
    await expect(webhooks.getByRole('row').filter({ hasText: 'afgeleverd' })).toHaveCount(2);
  }).toPass({ timeout: 15_000 });
  await expect(webhooks.getByRole('row').nth(1)).toContainText(receiver);
  expect(await violations(page)).toEqual([]);
  await page.goto('/portaal/beheer?taal=en');
  await expect(page.getByRole('region', { name: 'Change feed webhooks' }).getByRole('row').filter({ hasText: 'delivered' })).toHaveCount(2);
  expect(await violations(page)).toEqual([]);
});
