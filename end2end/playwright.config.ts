import { defineConfig } from '@playwright/test';

// One release server for the whole run, on its own port and database (see
// serve-for-tests.sh). Chromium is Debian's: Playwright's own browser
// download cannot work without internet.
const port = Number(process.env.KIESKAART_E2E_PORT ?? 3917);
// The map tiles come from a stand-in on loopback (tile-server.mjs).
const tilePort = port + 1;
// A news site on another origin that embeds Kieskaart (host-site.mjs).
const hostPort = port + 2;

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    viewport: { width: 375, height: 667 },
    // A Dutch voter's browser; the English journeys set their own locale.
    locale: 'nl-NL',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
  },
  webServer: [
    {
      command: `node ./tile-server.mjs ${tilePort}`,
      url: `http://127.0.0.1:${tilePort}/0/0/0.png`,
      reuseExistingServer: false,
    },
    {
      command: `node ./host-site.mjs ${hostPort} http://127.0.0.1:${port}`,
      url: `http://127.0.0.1:${hostPort}/health`,
      reuseExistingServer: false,
    },
    {
      command: `bash ./serve-for-tests.sh ${port} http://127.0.0.1:${tilePort}/{z}/{x}/{y}.png`,
      url: `http://127.0.0.1:${port}/api/v1/elections`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
