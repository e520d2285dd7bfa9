// Cooperation projects in the browser: a caseworker finds a project in the list and opens its page.
import type { Browser } from 'playwright-core';
import { EMAIL, startHarness, type Harness } from '../support/harness';
import { Journey } from '../support/journey';
import { Projects } from '../support/projects';
import { launchBrowser, logIn, openPage, screenshot, withFailureScreenshots } from './support/browser';

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

test('a caseworker opens the projects list and a project page', async () => {
  const projects = new Projects(h, new Journey(h));
  const title = `Cooperativa sartoriale ${Date.now()}`;
  const id = await projects.open({ title });
  const page = await openPage(browser, h.url);
  await withFailureScreenshots('projects', () => [page], async () => {
    await logIn(page, EMAIL.caseworker);
    await page.getByRole('link', { name: /projects/i }).first().click();
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    expect(await page.locator('dl.facts').innerText()).toContain('iom-dakar');
    expect(page.url()).toContain(id);
    await screenshot(page, 'project-page');
  });
});
