// Italian and English, and use without a mouse: the language follows the browser until chosen, is remembered,
// and sets the page's lang; every control has a label; focus is visible and moves to each new page's heading.
import type { Browser, Page } from 'playwright-core';
import { startHarness, EMAIL, type Harness } from '../support/harness';
import { singleAdult } from '../support/cases';
import { launchBrowser, openPage, screenshot, waitForText, withFailureScreenshots } from './support/browser';

let h: Harness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/** Visible form controls with no label a screen reader could announce. */
function unlabelledControls(p: Page): Promise<string[]> {
  return p.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLInputElement>('input, select, textarea'))
      .filter((el) => el.type !== 'hidden' && el.offsetParent !== null)
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

const lang = () => page.evaluate(() => document.documentElement.lang);
const focusedHeading = () => page.evaluate(() => (document.activeElement?.tagName === 'H1' ? document.activeElement.textContent : null));

test('an Italian browser gets Italian; a keyboard alone logs in; focus is visible', () =>
  withFailureScreenshots('language-keyboard', () => (page ? [page] : []), async () => {
    page = await openPage(browser, h.url, 'it-IT');
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Accedi' }).waitFor();
    expect(await lang()).toBe('it');
    expect(await focusedHeading()).toBe('Accedi');

    // From the focused heading, Tab reaches the email field, then the password; Enter submits.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe('email');
    await page.keyboard.type(EMAIL.caseworker);
    await page.keyboard.press('Tab');
    await page.keyboard.type('demo-caseworker');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Casi' }).waitFor();
    expect(await focusedHeading()).toBe('Casi');

    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement!);
      return { style: s.outlineStyle, width: s.outlineWidth };
    });
    expect(ring).toEqual({ style: 'solid', width: '3px' });
    expect(await unlabelledControls(page)).toEqual([]);
  }));

test('the language switch changes every label, sets lang, and is remembered after a reload', () =>
  withFailureScreenshots('language-switch', () => [page], async () => {
    await page.getByLabel('Lingua').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    expect(await lang()).toBe('en');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    expect(await lang()).toBe('en');

    await page.getByLabel('Language').selectOption('it');
    await page.getByRole('heading', { level: 1, name: 'Casi' }).waitFor();
    expect(await lang()).toBe('it');
  }));

test('stages and actions are named in Italian on the case page, and every control there is labelled', () =>
  withFailureScreenshots('language-case', () => [page], async () => {
    const r = await h.http('POST', '/api/v1/cases', { token: await h.token(EMAIL.caseworker), body: singleAdult() });
    await page.goto(`/#/cases/${r.body.caseId}`);
    await waitForText(page.getByTestId('stage'), 'Presa in carico');
    await waitForText(page.getByTestId('hint'), 'Prossimo passo: Conferma la presa in carico.');
    await waitForText(page.getByRole('region', { name: 'Percorso del caso' }), 'Colloqui informativi');
    const form = page.getByRole('form', { name: 'Conferma la presa in carico' });
    await form.getByRole('button', { name: 'Conferma la presa in carico' }).click();
    await waitForText(page.getByTestId('stage'), 'Colloqui informativi');
    await waitForText(page.getByRole('status'), 'Registrato: Conferma la presa in carico.');
    // Forms inside the closed "withdraw or close" section count too: open it before checking.
    await page.getByText('Ritiro, chiusura o passi indietro').click();
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'case-page-italian');

    await page.getByRole('link', { name: 'Nuovo caso' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Nuovo caso' }).waitFor();
    await page.getByRole('button', { name: 'Aggiungi un familiare' }).click();
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'new-case-italian');
  }));
