// A family's case carried from referral to departure through the web app, as the people involved would:
// a caseworker does the casework, the supervisor checks eligibility, admits and approves the plan.
import type { Browser, Page } from 'playwright-core';
import { startHarness, EMAIL, type Harness } from '../support/harness';
import { isoDateIn, launchBrowser, logIn, openPage, screenshot, waitForText, withFailureScreenshots } from './support/browser';

let h: Harness;
let browser: Browser;
const pages: Page[] = [];

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/** Presses the button of one pending action's form and waits for the page to say it was recorded. */
async function act(page: Page, action: string, fill?: (form: ReturnType<Page['getByRole']>) => Promise<void>) {
  const form = page.getByRole('form', { name: action });
  if (fill) await fill(form);
  await form.getByRole('button', { name: action }).click();
  await waitForText(page.getByRole('status'), `Recorded: ${action}.`);
}

async function stageIs(page: Page, stage: string) {
  await waitForText(page.getByTestId('stage'), new RegExp(`^${stage}$`));
}

async function openCase(page: Page, caseId: string) {
  await page.goto(`/#/cases/${caseId}`);
  await page.getByRole('heading', { level: 1, name: /^Case / }).waitFor();
}

test('a caseworker opens a family case and carries it to departure, with the supervisor approving in the web app', () =>
  withFailureScreenshots('case-journey', () => pages, async () => {
    const caseworker = await openPage(browser, h.url);
    const supervisor = await openPage(browser, h.url);
    pages.push(caseworker, supervisor);

    await logIn(caseworker, EMAIL.caseworker);
    await caseworker.getByRole('link', { name: 'New case' }).first().click();
    await caseworker.getByRole('heading', { level: 1, name: 'New case' }).waitFor();

    // The referral: a family of four returning to Senegal.
    const family = `Diallo-${Math.random().toString(36).slice(2, 8)}`;
    await caseworker.getByLabel('Programme').selectOption('test-fast');
    await caseworker.getByLabel('Country of return').selectOption('SN');
    await caseworker.getByLabel('Nationality').selectOption('SN');
    await caseworker.getByLabel('Referring body').selectOption({ label: 'Reception project (SAI)' });
    const principal = caseworker.getByRole('group', { name: 'Principal applicant' });
    await principal.getByLabel('Given name').fill('Amadou');
    await principal.getByLabel('Family name').fill(family);
    await principal.getByLabel('Date of birth').fill('1985-03-14');
    const dependants = [
      { given: 'Awa', dob: '1988-07-02', relationship: 'spouse' },
      { given: 'Moussa', dob: '2014-01-20', relationship: 'child' },
      { given: 'Fatou', dob: '2018-11-05', relationship: 'child' },
    ];
    for (const [i, d] of dependants.entries()) {
      await caseworker.getByRole('button', { name: 'Add a dependant' }).click();
      const group = caseworker.getByRole('group', { name: `Dependant ${i + 1}` });
      await group.getByLabel('Given name').fill(d.given);
      await group.getByLabel('Family name').fill(family);
      await group.getByLabel('Date of birth').fill(d.dob);
      await group.getByLabel('Relationship to the applicant').selectOption(d.relationship);
    }
    await caseworker.getByLabel('Legal status').selectOption('refused_asylum');
    await caseworker.getByLabel('Single parent').check();
    await caseworker.getByLabel('Single parent').uncheck();
    await screenshot(caseworker, 'new-case-form');
    await caseworker.getByRole('button', { name: 'Open case' }).click();

    // The case page: at intake, telling the caseworker what comes next.
    await caseworker.getByRole('heading', { level: 1, name: /^Case / }).waitFor();
    await waitForText(caseworker.getByRole('status'), 'The case has been opened.');
    await stageIs(caseworker, 'Intake');
    await waitForText(caseworker.getByTestId('hint'), 'Next step: Confirm intake.');
    const caseId = (await caseworker.locator('.case-id code').textContent())!.trim();
    await waitForText(caseworker.getByRole('region', { name: 'People' }), `Fatou ${family}`);
    await waitForText(caseworker.getByRole('region', { name: 'Case details' }), '4 people (2 adults, 2 minors)');
    await screenshot(caseworker, 'case-intake');

    await act(caseworker, 'Confirm intake');
    await stageIs(caseworker, 'Counselling');
    await act(caseworker, 'Record a counselling session', async (form) => {
      await form.getByLabel('Duration (minutes)').fill('45');
      await form.getByLabel('An interpreter was present').check();
    });
    await act(caseworker, 'Record the signed declaration');
    await stageIs(caseworker, 'Application');
    await act(caseworker, 'Lodge the application');
    await stageIs(caseworker, 'Eligibility check');

    // The eligibility check is not the caseworker's to record: the page says who is awaited.
    await waitForText(caseworker.getByTestId('hint'), 'waiting for Partner agency, Supervisor to Record the eligibility check');
    expect(await caseworker.getByRole('form', { name: 'Record the eligibility check' }).count()).toBe(0);

    await logIn(supervisor, EMAIL.supervisor);
    await openCase(supervisor, caseId);
    await act(supervisor, 'Record the eligibility check', async (form) => {
      await form.getByRole('radio', { name: 'Yes' }).check();
    });
    await stageIs(supervisor, 'Admission');
    await act(supervisor, 'Admit to the programme');
    await stageIs(supervisor, 'Travel document');

    await caseworker.getByRole('button', { name: 'Refresh' }).click();
    await stageIs(caseworker, 'Travel document');
    await act(caseworker, 'Record a valid passport', (form) => form.getByLabel('Passport valid until').fill(isoDateIn(2 * 365)));
    await stageIs(caseworker, 'Reintegration plan');
    // Budget: €2,000 for the applicant plus €1,000 for each of three dependants.
    await waitForText(caseworker.getByRole('form', { name: 'Submit the reintegration plan' }), 'Budget for the plan: €5,000');
    await act(caseworker, 'Submit the reintegration plan', async (form) => {
      await form.getByLabel('Kind of plan').selectOption('business');
      await form.getByLabel('Amount (EUR)').fill('4000');
    });
    // Approving is for supervisors only: the caseworker sees it as awaited, not as a form.
    await waitForText(caseworker.getByTestId('hint'), 'waiting for Supervisor to Approve the plan');
    expect(await caseworker.getByRole('form', { name: 'Approve the plan' }).count()).toBe(0);

    await supervisor.getByRole('button', { name: 'Refresh' }).click();
    const approval = supervisor.getByRole('form', { name: 'Approve the plan' });
    await waitForText(approval, 'Submitted plan: Business, €4,000');
    await screenshot(supervisor, 'supervisor-approval');
    await act(supervisor, 'Approve the plan');
    await stageIs(supervisor, 'Travel booking');

    await caseworker.getByRole('button', { name: 'Refresh' }).click();
    await act(caseworker, 'Book the travel', (form) => form.getByLabel('Departure date').fill(isoDateIn(7)));
    await stageIs(caseworker, 'Departure');
    await act(caseworker, 'Confirm departure');
    await stageIs(caseworker, 'Post-arrival');

    // The lifecycle bar and the timeline tell the story.
    const lifecycle = caseworker.getByRole('region', { name: 'Case lifecycle' });
    await waitForText(lifecycle.locator('[aria-current="step"]'), 'Post-arrival');
    await waitForText(lifecycle.locator('li', { hasText: 'Medical fitness' }), 'not needed');
    await waitForText(lifecycle.locator('li', { hasText: 'Departure' }), 'done');
    const timeline = caseworker.getByRole('table', { name: 'What happened on this case, newest first' });
    // One row per event; the steps are the rows named after an action (stage changes and payments follow them).
    const what = (await timeline.locator('tbody tr td:nth-child(3)').allInnerTexts()).map((cell) => cell.split('\n')[0]);
    expect(what.filter((w) => !['Stage changed', 'Payment', 'Escalation raised', 'Case opened'].includes(w))).toEqual([
      'Confirm departure', 'Book the travel', 'Approve the plan', 'Submit the reintegration plan', 'Record a valid passport',
      'Admit to the programme', 'Record the eligibility check', 'Lodge the application', 'Record the signed declaration',
      'Record a counselling session', 'Confirm intake',
    ]);
    expect(what).toContain('Stage changed');
    expect(what[what.length - 1]).toBe('Case opened');
    await waitForText(timeline.locator('tr', { hasText: 'Approve the plan' }), 'Supervisor');
    await waitForText(timeline.locator('tr', { hasText: 'Stage changed' }).first(), 'after: Confirm departure');
    await waitForText(timeline.locator('tr', { hasText: 'Confirm departure' }).first(), 'Departure → Post-arrival');
    // The pre-departure money (travel €100 × 2 adults + €50 × 2 minors, half of €200 × 4 start-up) is paid at departure.
    await waitForText(caseworker.getByRole('region', { name: 'Amounts' }).locator('dd').nth(1), '€700');
    await screenshot(caseworker, 'case-departed');

    // Back in the list, the case shows where it stands.
    await caseworker.getByRole('link', { name: 'Cases', exact: true }).click();
    await waitForText(caseworker.locator(`tr:has(a[title="${caseId}"])`), 'Post-arrival');
  }));
