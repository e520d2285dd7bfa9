// The case list: escalated cases stand out, filters narrow the list, and "more" pages through all of it.
import type { Browser, Page } from 'playwright-core';
import { startHarness, EMAIL, type Harness } from '../support/harness';
import { singleAdult } from '../support/cases';
import { launchBrowser, logIn, openPage, screenshot, waitForText, withFailureScreenshots } from './support/browser';

let h: Harness;
let browser: Browser;
let page: Page;
let token: string;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  token = await h.token(EMAIL.caseworker);
  page = await openPage(browser, h.url);
  await logIn(page, EMAIL.caseworker);
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

async function createCase(): Promise<string> {
  const r = await h.http('POST', '/api/v1/cases', { token, body: singleAdult() });
  expect(r.status).toBe(201);
  return r.body.caseId;
}

const rowOf = (caseId: string) => page.locator(`tbody tr:has(a[title="${caseId}"])`);

test('"Show more cases" pages through the whole list, each case once', () =>
  withFailureScreenshots('list-paging', () => [page], async () => {
    const created: string[] = [];
    for (let i = 0; i < 27; i += 1) created.push(await createCase());
    await page.goto('/#/cases?stage=intake');
    await page.reload();
    await waitForText(page.locator('.count'), /cases shown; more are available/);
    const more = page.getByRole('button', { name: 'Show more cases' });
    while (await more.isVisible()) {
      const before = await page.locator('tbody tr').count();
      await more.click();
      await page.waitForFunction((n) => document.querySelectorAll('tbody tr').length > n, before);
    }
    const shown = await page.locator('tbody tr a[title]').evaluateAll((links) => links.map((a) => a.getAttribute('title')));
    expect(new Set(shown).size).toBe(shown.length);
    expect(shown).toEqual(expect.arrayContaining(created));
  }));

test('escalated cases are highlighted, and the filters narrow the list', () =>
  withFailureScreenshots('list-filters', () => [page], async () => {
    const escalated = await createCase();
    const moved = await createCase();
    expect((await h.http('POST', `/api/v1/cases/${moved}/actions/confirm_intake`, { token, body: {} })).status).toBe(200);
    // The test programme's intake deadline is five seconds: wait until the case has its escalation.
    for (let i = 0; i < 100; i += 1) {
      const r = await h.http('GET', `/api/v1/cases/${escalated}`, { token });
      if (r.body.openEscalations > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    await page.goto('/#/cases');
    await page.reload();
    await page.getByLabel('Escalations').selectOption({ label: 'With open escalations' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await waitForText(rowOf(escalated), '⚠ 1 open');
    expect(await rowOf(escalated).getAttribute('class')).toContain('escalated');
    expect(page.url()).toContain('escalated=true');
    const badges = await page.locator('tbody tr td:nth-child(8)').allInnerTexts();
    expect(badges.every((b) => b.startsWith('⚠'))).toBe(true);
    await screenshot(page, 'case-list-escalated');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Stage').selectOption({ label: 'Counselling' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await waitForText(rowOf(moved), 'Counselling');
    const stages = await page.locator('tbody tr td:nth-child(6)').allInnerTexts();
    expect(stages.every((s) => s.startsWith('Counselling'))).toBe(true);
    expect(await rowOf(escalated).count()).toBe(0);
  }));
