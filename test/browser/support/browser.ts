// Headless Chromium for the browser tests (Debian's /usr/bin/chromium through playwright-core), plus the few
// steps every scenario repeats: log in through the page, wait for what a user would see, keep screenshots.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { DEMO_ACCOUNTS } from '../../../db/seed';

export const SCREENSHOTS = path.resolve(__dirname, '..', '..', '..', 'test-results', 'browser');
const TIMEOUT = 20_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser profile (its own cookies and storage): one person at one desk. */
export async function openPage(browser: Browser, baseUrl: string, locale = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  return page;
}

export async function logIn(page: Page, email: string): Promise<void> {
  const password = DEMO_ACCOUNTS.find((a) => a.email === email)!.password;
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
}

/** Waits until some element matched by `locator` shows `text` (the app re-renders, so poll the locator). */
export async function waitForText(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout: TIMEOUT });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Runs a scenario; if it fails, every open page is photographed into test-results/ before the error surfaces. */
export async function withFailureScreenshots(name: string, pages: () => Page[], scenario: () => Promise<void>): Promise<void> {
  try {
    await scenario();
  } catch (err) {
    await Promise.all(pages().map((p, i) => screenshot(p, `FAILED-${name}-${i}`).catch(() => undefined)));
    throw err;
  }
}

/** The calendar date `days` from today, as a date input wants it. */
export function isoDateIn(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
