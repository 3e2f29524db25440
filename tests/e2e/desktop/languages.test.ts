// Issue 16, point 3, in the agent console (served at /agent/): an Arabic browser gets Arabic
// words laid out right to left, the switch changes the language at once and is remembered,
// dates follow the language, and Customer Info names the customer's language, live when the
// customer switches. Real server, Redis, storage and Chromium.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { AgentConsolePage, SCREENSHOT_DIR } from './support/agentConsolePage';
import { useConsoleTestStack } from './support/consoleTestStack';
import { join } from 'node:path';

const harness = useConsoleTestStack();

function htmlLanguage(page: Page): Promise<{ lang: string; dir: string }> {
  return page.evaluate(
    '({ lang: document.documentElement.lang, dir: document.documentElement.dir })',
  );
}

/** What Intl says in the page, for `expression` (a string of JavaScript). */
function inPage(page: Page, expression: string): Promise<string> {
  return page.evaluate<string>(expression);
}

describe('the agent console’s languages', () => {
  it('follows an Arabic browser, right to left, and names the customer’s language in Customer Info', async () => {
    const account = await harness().stack.createAgent('Ada Agent');
    const agent = await AgentConsolePage.open(harness().browser, harness().url, undefined, {
      locale: 'ar',
    });
    const { page } = agent;
    try {
      await page.getByRole('heading', { name: 'وحدة تحكم الموظف' }).waitFor();
      expect(await htmlLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl' });
      await page.getByLabel('اسم الدخول').fill(account.login);
      await page.getByLabel('كلمة المرور').fill(account.password);
      await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
      await page.locator('.top-bar').getByRole('status').filter({ hasText: 'متصل' }).waitFor();

      const customer = await harness().customer('gold', 'Carol Gold');
      await customer.requestOk('customer.language', { language: 'es-MX' });
      await customer.requestOk('chat.request');
      await page.locator('.queue-name').first().waitFor();
      await page.getByRole('button', { name: 'بدء دردشة' }).first().click();

      const info = page.locator('section.customer-info');
      await info.getByRole('heading', { name: 'معلومات العميل' }).waitFor();
      const spanishInArabic = await inPage(
        page,
        "new Intl.DisplayNames(['ar'], { type: 'language' }).of('es-MX')",
      );
      await info.getByText(`${spanishInArabic} (es-MX)`).waitFor();
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'languages-ar-console.png') });

      // The customer switches: Customer Info follows at once.
      await customer.requestOk('customer.language', { language: 'ar' });
      const arabicInArabic = await inPage(
        page,
        "new Intl.DisplayNames(['ar'], { type: 'language' }).of('ar')",
      );
      await info.getByText(`${arabicInArabic} (ar)`).waitFor();

      // The agent switches to English: at once, and after a reload.
      await page.getByLabel('اللغة').selectOption('en');
      await info.getByRole('heading', { name: 'Customer Info' }).waitFor();
      await info.getByText('Arabic (ar)').waitFor();
      expect(await htmlLanguage(page)).toEqual({ lang: 'en', dir: 'ltr' });
      await page.reload();
      await page.locator('section.customer-info').getByText('Arabic (ar)').waitFor();
      expect(await htmlLanguage(page)).toEqual({ lang: 'en', dir: 'ltr' });
    } finally {
      await agent.close();
    }
  });

  it('speaks Spanish when chosen, with Spanish dates, and English again by default elsewhere', async () => {
    const { agentConsole: agent } = await harness().signedInConsole('Bo Agent');
    const { page } = agent;
    expect(await htmlLanguage(page)).toEqual({ lang: 'en', dir: 'ltr' });
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('button', { name: 'Cerrar sesión' }).waitFor();

    const customer = await harness().customer('platinum', 'Pat Platinum');
    await customer.requestOk('chat.request');
    await page.locator('.queue-name').first().waitFor();
    await page.getByRole('button', { name: 'Iniciar chat' }).first().click();
    const info = page.locator('section.customer-info');
    await info.getByRole('heading', { name: 'Datos del cliente' }).waitFor();
    const stored = await harness().stack.server.mongo.collections.customers.findOne({
      _id: customer.account!.id,
    });
    const since = await inPage(
      page,
      `new Date(${JSON.stringify(stored!.customerSince.toISOString())}).toLocaleDateString('es', { day: 'numeric', month: 'short', year: 'numeric' })`,
    );
    await info.getByText(since).waitFor();
    // No language said by this customer's app: no Language row.
    expect(await info.getByText('Idioma').count()).toBe(0);
  });
});
