// The dashboard and the workqueue in the browser: a supervisor sees every figure drawn as a chart; a caseworker's
// workqueue lists exactly the cases waiting on a caseworker, soonest deadline first, and can take one.
// Each person works in an office of their own, so other tests' cases stay out of view.
import crypto from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from '../support/harness';
import { singleAdult } from '../support/cases';
import { createStaff, type Staff } from '../support/staff';
import { launchBrowser, openPage, screenshot, waitForText, withFailureScreenshots } from './support/browser';

let h: Harness;
let browser: Browser;
const sfx = crypto.randomUUID().slice(0, 8);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function insertCase(caseId: string, office: string, c: { stage: string; pendingRoles?: string[]; deadline?: Date | null; escalations?: number; departed?: string; summary?: object }) {
  await h.pool.query(
    `INSERT INTO cases (case_id, programme_id, country, office, stage, open_escalations, next_deadline, opened_at, updated_at, departed_at, last_seq, summary, pending_roles)
     VALUES ($1, 'test-fast', 'SN', $2, $3, $4, $5, now(), now(), $6, 1, $7, $8)`,
    [caseId, office, c.stage, c.escalations ?? 0, c.deadline ?? null, c.departed ?? null, c.summary ?? {}, c.pendingRoles ?? []],
  );
}

async function logInAs(page: Page, staff: Staff): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(staff.email);
  await page.getByLabel('Password').fill(staff.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
}

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

test('a supervisor opens the dashboard and sees every figure as a chart', async () => {
  const office = `dash-${sfx}`;
  const supervisor = await createStaff(h, 'supervisor', office);
  // Enough cases in each cell that nothing is suppressed: eight in counselling (five escalated), six departed
  // in March 2025 that finished monitoring, each with a funded place.
  for (let i = 0; i < 8; i += 1) await insertCase(`${office}-c${i}`, office, { stage: 'counselling', escalations: i < 5 ? 1 : 0 });
  const departed = Date.parse('2025-03-10T12:00:00Z');
  for (let i = 0; i < 6; i += 1) {
    const at = (days: number) => new Date(departed + days * DAY).toISOString();
    await insertCase(`${office}-d${i}`, office, {
      stage: 'closed',
      departed: at(0),
      summary: {
        application: { lodgedAt: at(-40 - 5 * i) },
        checkpoints: [
          { offset: 'P3M', dueAt: at(90), reportedAt: at(92 + i), score: 60 + i },
          { offset: 'P6M', dueAt: at(180), reportedAt: at(185 + i), score: 80 + i },
        ],
      },
    });
    await h.pool.query(`INSERT INTO place_reservations (case_id, programme_id) VALUES ($1, 'test-fast')`, [`${office}-d${i}`]);
  }

  const page = await openPage(browser, h.url);
  await withFailureScreenshots('dashboard', () => [page], async () => {
    await logInAs(page, supervisor);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    const cards = page.locator('section.chart-card');
    expect(await cards.count()).toBe(6);
    for (const card of await cards.all()) {
      expect(await card.locator('svg.chart[role="img"]').count()).toBe(1);
      expect(await card.locator('rect.bar').count()).toBeGreaterThan(0);
    }
    const stages = page.locator('[data-figure="cases-by-stage"] svg.chart');
    await waitForText(stages.locator('text.category'), 'Counselling');
    expect(await stages.locator('text.value').allTextContents()).toEqual(['8', '6']);
    // The departures chart stacks the month's departures: six to Senegal in March 2025.
    await waitForText(page.locator('[data-figure="departures-by-month"] text.category'), '2025-03');
    expect(await page.locator('[data-figure="departures-by-month"] text.value').allTextContents()).toEqual(['6']);
    await screenshot(page, 'dashboard');
  });
});

test("a caseworker's workqueue shows exactly the cases waiting on a caseworker, soonest deadline first", async () => {
  const office = `queue-${sfx}`;
  const caseworker = await createStaff(h, 'caseworker', office);
  const id = (name: string) => `${office}-${name}`;
  await insertCase(id('overdue'), office, { stage: 'counselling', pendingRoles: ['caseworker', 'supervisor'], deadline: new Date(Date.now() - 2 * HOUR) });
  await insertCase(id('later'), office, { stage: 'travel_document', pendingRoles: ['caseworker', 'supervisor'], deadline: new Date(Date.now() + 5 * DAY) });
  await insertCase(id('soon'), office, { stage: 'application', pendingRoles: ['caseworker', 'supervisor'], deadline: new Date(Date.now() + 20 * HOUR) });
  await insertCase(id('no-deadline'), office, { stage: 'reintegration_plan', pendingRoles: ['caseworker'] });
  await insertCase(id('for-the-questura'), office, { stage: 'eligibility', pendingRoles: ['supervisor', 'partner'], deadline: new Date(Date.now() + HOUR) });
  // One real case at intake (deadline in 30 days): taking it goes through its workflow.
  const opened = await h.http('POST', '/api/v1/cases', { token: caseworker.token, body: singleAdult({ programmeId: 'test-calm', office }) });
  expect(opened.status).toBe(201);
  const real = opened.body.caseId;

  const page = await openPage(browser, h.url);
  await withFailureScreenshots('workqueue', () => [page], async () => {
    await logInAs(page, caseworker);
    await waitForText(page.locator('.topbar .nav-count'), '5 · 1 overdue');
    await page.getByRole('link', { name: /^Workqueue/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Workqueue' }).waitFor();
    await waitForText(page.locator('.count'), '5 cases in this queue: 1 overdue, 1 due soon');
    const rows = page.locator('table.workqueue tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.case))).toEqual([
      id('overdue'), id('soon'), id('later'), real, id('no-deadline'),
    ]);
    expect(await rows.locator('td:nth-child(2) .badge').allTextContents()).toEqual(['overdue', 'due soon']);
    await waitForText(rows.nth(3).locator('td:nth-child(4)'), 'Confirm intake');
    await screenshot(page, 'workqueue');

    await rows.nth(3).getByRole('button', { name: `Assign case ${real} to me` }).click();
    await waitForText(page.locator('#status'), 'The case is assigned to you.');
    await waitForText(page.locator(`tr[data-case="${real}"] td:nth-child(5)`), 'you');
    await page.getByRole('link', { name: /^My cases/ }).click();
    await waitForText(page.locator('.count'), '1 case in this queue');
    expect(await page.locator('table.workqueue tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.case))).toEqual([real]);
  });
});
