// The forms tell people what is wrong, next to the field it is about: the browser's own checks, the server's
// 422 errors, and a 409 when the case moved on meanwhile (with what is allowed now).
import type { Browser, Page } from 'playwright-core';
import { startHarness, EMAIL, type Harness } from '../support/harness';
import { singleAdult } from '../support/cases';
import { isoDateIn, launchBrowser, logIn, openPage, screenshot, waitForText, withFailureScreenshots } from './support/browser';

let h: Harness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  page = await openPage(browser, h.url);
  await logIn(page, EMAIL.caseworker);
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/** The error shown beside a field, found from the field's label as a user would. */
function errorBeside(scope: ReturnType<Page['locator']> | Page, fieldLabel: string) {
  return scope.locator('.field', { has: page.getByLabel(fieldLabel, { exact: false }) }).locator('.field-error');
}

/** A fresh form: reloading drops whatever an earlier test left in it (the session cookie keeps us logged in). */
async function openNewCaseForm() {
  await page.goto('/#/cases/new');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'New case' }).waitFor();
}

async function createViaApi(): Promise<string> {
  const token = await h.token(EMAIL.caseworker);
  const r = await h.http('POST', '/api/v1/cases', { token, body: singleAdult() });
  expect(r.status).toBe(201);
  return r.body.caseId;
}

async function actViaApi(caseId: string, email: string, action: string, payload: unknown = {}) {
  const r = await h.http('POST', `/api/v1/cases/${caseId}/actions/${action}`, { token: await h.token(email), body: { payload } });
  expect(r.status).toBe(200);
}

test('an empty or impossible referral is stopped in the browser, with each error beside its field', () =>
  withFailureScreenshots('forms-client', () => [page], async () => {
    await openNewCaseForm();
    await page.getByRole('button', { name: 'Add a dependant' }).click();
    await page.getByRole('group', { name: 'Dependant 1' }).getByLabel('Date of birth').fill(isoDateIn(30));
    await page.getByRole('button', { name: 'Open case' }).click();

    const summary = page.getByRole('alert');
    await waitForText(summary, 'Please correct the following');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await waitForText(summary, 'Programme: Fill this in');
    const principal = page.getByRole('group', { name: 'Principal applicant' });
    await waitForText(principal.locator('.field', { hasText: 'Given name' }).locator('.field-error'), 'Fill this in');
    const dependant = page.getByRole('group', { name: 'Dependant 1' });
    await waitForText(dependant.locator('.field', { hasText: 'Date of birth' }).locator('.field-error'), 'Cannot be in the future');
    expect(await dependant.getByLabel('Date of birth').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'new-case-errors');

    // The summary links take keyboard users to the field.
    await summary.getByRole('link', { name: /^Programme/ }).click();
    expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.name)).toBe('programmeId');
  }));

test('dependants can be added and removed; the rest are renumbered', () =>
  withFailureScreenshots('forms-household', () => [page], async () => {
    await openNewCaseForm();
    const add = page.getByRole('button', { name: 'Add a dependant' });
    await add.click();
    await page.getByRole('group', { name: 'Dependant 1' }).getByLabel('Given name').fill('First');
    await add.click();
    await page.getByRole('group', { name: 'Dependant 2' }).getByLabel('Given name').fill('Second');
    await page.getByRole('button', { name: 'Remove dependant 1' }).click();
    expect(await page.getByRole('group', { name: /^Dependant \d/ }).count()).toBe(1);
    expect(await page.getByRole('group', { name: 'Dependant 1' }).getByLabel('Given name').inputValue()).toBe('Second');
    await waitForText(page.getByRole('status'), 'Dependant 1 removed.');
  }));

test("the server's 422 errors appear beside the matching fields", () =>
  withFailureScreenshots('forms-server', () => [page], async () => {
    await openNewCaseForm();
    // A programme retired after the form was loaded: only the server can know.
    await page.getByLabel('Programme').evaluate((select: HTMLSelectElement) => select.add(new Option('Retired programme', 'retired-programme')));
    await page.getByLabel('Programme').selectOption('retired-programme');
    await page.getByLabel('Country of return').selectOption('SN');
    await page.getByLabel('Nationality').selectOption('XX');
    await page.getByLabel('Referring body').selectOption('ngo');
    const principal = page.getByRole('group', { name: 'Principal applicant' });
    await principal.getByLabel('Given name').fill('Test');
    await principal.getByLabel('Family name').fill(`Person-${Date.now()}`);
    await principal.getByLabel('Date of birth').fill('1990-01-01');
    await page.getByLabel('Legal status').selectOption('irregular');
    await page.getByRole('button', { name: 'Open case' }).click();

    await waitForText(page.getByRole('alert'), 'The server could not accept this');
    await waitForText(errorBeside(page, 'Programme'), 'no programme "retired-programme"');
  }));

test('a step the case has moved past answers 409: the form shows why and what is allowed now', () =>
  withFailureScreenshots('forms-conflict', () => [page], async () => {
    const caseId = await createViaApi();
    await page.goto(`/#/cases/${caseId}`);
    const form = page.getByRole('form', { name: 'Confirm intake' });
    await form.waitFor();
    // Someone else confirms the intake while this page is open.
    await actViaApi(caseId, EMAIL.caseworker, 'confirm_intake');
    await form.getByRole('button', { name: 'Confirm intake' }).click();

    const alert = form.getByRole('alert');
    await waitForText(alert, 'This step is not possible now');
    await waitForText(alert, 'What can be done now: Record a counselling session');
    await screenshot(page, 'action-conflict');
  }));

test("an action's payload refused by the workflow shows the reason beside the field", () =>
  withFailureScreenshots('forms-action-422', () => [page], async () => {
    const caseId = await createViaApi();
    for (const [email, action, payload] of [
      [EMAIL.caseworker, 'confirm_intake', {}],
      [EMAIL.caseworker, 'record_counselling_session', {}],
      [EMAIL.caseworker, 'sign_declaration', {}],
      [EMAIL.caseworker, 'lodge_application', {}],
      [EMAIL.supervisor, 'record_eligibility', { eligible: true }],
      [EMAIL.supervisor, 'admit', {}],
    ] as const) {
      await actViaApi(caseId, email, action, payload);
    }
    await page.goto(`/#/cases/${caseId}`);
    const form = page.getByRole('form', { name: 'Record a valid passport' });
    await form.getByLabel('Passport valid until').fill(isoDateIn(-3));
    await form.getByRole('button', { name: 'Record a valid passport' }).click();
    await waitForText(form.getByRole('alert'), 'The server could not accept this');
    await waitForText(errorBeside(form, 'Passport valid until'), 'the passport has expired');
  }));
