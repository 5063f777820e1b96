/**
 * The Temporal Web UI as an admin sees it: a real headless Chromium (see support/chromium.ts,
 * driven by playwright-core) opens a running remediation from the link `okta-remediate ui` prints.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { runCli } from '../../cli/program';
import { startRemediation } from '../../client/remediations';
import { seedDemo } from '../../sim/seed';
import { findChromium } from '../support/chromium';
import { startHarness, type Harness } from '../support/harness';

/** Git-ignored: screenshots are for people, not assertions. */
const SCREENSHOTS = path.resolve(__dirname, '../../test-results/web-ui');

async function uiLink(appId: string, address: string): Promise<string> {
  const env = { TEMPORAL_ADDRESS: address, TEMPORAL_UI_URL: process.env.TEST_TEMPORAL_UI_URL };
  Object.assign(process.env, env);
  let out = '';
  try {
    const code = await runCli(['ui', '--app', appId], { out: (t) => (out += t), err: (t) => (out += t) });
    if (code !== 0) throw new Error(`okta-remediate ui exited with ${code}: ${out}`);
    return out.trim();
  } finally {
    for (const key of Object.keys(env)) delete process.env[key];
  }
}

describe('Temporal Web UI', () => {
  let h: Harness | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("shows a running remediation's summary, phase and current details", async () => {
    const executablePath = findChromium();
    h = await startHarness();
    const { docusign } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    const url = await uiLink(docusign.appId, h.address);
    expect(url).toBe(`${process.env.TEST_TEMPORAL_UI_URL}/namespaces/default/workflows/okta-remediation-${docusign.appId}`);

    browser = await chromium.launch({
      executablePath,
      headless: true, // playwright gives each launch a fresh, throwaway profile
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(20_000); // fail within Jest's timeout, naming what never appeared
    await page.goto(url);
    await page.getByText('Running', { exact: true }).first().waitFor();

    await page.getByText('User Metadata', { exact: true }).click();
    // The UI renders each piece of Markdown in its own frame: Summary, Details, then Current Details.
    const markdown = page.locator('iframe[title="output"]');
    await markdown.first().contentFrame().getByText(`Remediate Okta app ${docusign.appId}`).waitFor();
    const details = markdown.last().contentFrame();
    await details.getByRole('heading', { name: 'Waiting for an admin to re-authenticate the app in Okta' }).waitFor();
    await details.getByText('Likely cause:').waitFor();
    await details.getByRole('heading', { name: 'What to do' }).waitFor();
    // The admin's command arrives intact: nothing dropped as HTML, no "--" turned into a dash.
    await details.getByText(`npx okta-remediate reauth-done --app ${docusign.appId} --by <your email>`).waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'remediation-current-details.png'), fullPage: true });

    await page.getByText('Search Attributes', { exact: true }).click();
    await page.getByText('"RemediationPhase": "awaiting_reauth"').waitFor();
    await page.getByText('"OktaVendor": "docusign"').waitFor();
  });
});
