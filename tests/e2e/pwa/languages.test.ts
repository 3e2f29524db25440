// Issue 16, point 3, in the customer app: the language follows the device (the browser
// context's locale), Arabic is laid out right to left, the switch changes the language at once
// and is remembered, dates follow the language, and the agent learns the customer's language.
// The tab's title and the install name (the linked web app manifest) follow the language too.
// Real server, Redis, storage and Chromium; screenshots of Arabic at 390 × 844 for a person to
// look at (artifacts/pwa/languages-*.png).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestClient } from '@callcenter/devstack/testing';
import { CustomerPage } from './support/customerPage';
import { screenshot, usePwaSuite } from './support/pwaSuite';

const suite = usePwaSuite();

const PHONE_390 = { viewport: { width: 390, height: 844 } };

function htmlLanguage(page: Page): Promise<{ lang: string; dir: string }> {
  return page.evaluate(
    '({ lang: document.documentElement.lang, dir: document.documentElement.dir })',
  );
}

interface Manifest {
  id?: string;
  name?: string;
  short_name?: string;
  description?: string;
  lang?: string;
  dir?: string;
  start_url?: string;
  scope?: string;
  icons?: unknown[];
}

async function manifestAt(url: string): Promise<{ contentType: string | null; body: Manifest }> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return {
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as Manifest,
  };
}

/**
 * The manifest the page links, which must be the one at `path`, as served and as Chromium reads
 * it (no errors): the same app as the English one, in the words and direction of its language.
 */
async function expectLinkedManifest(
  page: Page,
  path: string,
  words: Pick<Manifest, 'name' | 'short_name' | 'lang' | 'dir'>,
): Promise<void> {
  await page.waitForFunction(
    (wanted) => document.querySelector('link[rel="manifest"]')?.getAttribute('href') === wanted,
    path,
  );
  const linked = await manifestAt(new URL(path, suite.stack.url).href);
  expect(linked.contentType).toContain('application/manifest+json');
  const english = await manifestAt(new URL('/manifest.webmanifest', suite.stack.url).href);
  expect(linked.body).toMatchObject({
    ...words,
    id: english.body.id,
    start_url: english.body.start_url,
    scope: english.body.scope,
    icons: english.body.icons,
  });
  expect(linked.body.description).toEqual(expect.any(String));
  if (words.lang !== 'en') expect(linked.body.description).not.toBe(english.body.description);
  const cdp = await page.context().newCDPSession(page);
  const read = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[] };
  expect(read).toMatchObject({ url: new URL(path, suite.stack.url).href, errors: [] });
  await cdp.detach();
}

const ARABIC_TITLE = 'دردشة دعم العملاء';
const SPANISH_TITLE = 'Chat de atención al cliente';

async function waitForTitle(page: Page, title: string): Promise<void> {
  await page.waitForFunction((wanted) => document.title === wanted, title);
}

/** The agent writes to the customer (over Socket.IO: the console is tested on its own). */
async function agentWrites(agent: TestClient, customerId: string, text: string): Promise<void> {
  await agent.requestOk('message.send', { customerId, clientMsgId: crypto.randomUUID(), text });
}

describe('the customer app’s languages', () => {
  it('follows an Arabic device: Arabic words, right to left, mirrored bubbles, Arabic dates, and the agent is told', async () => {
    const account = await suite.newCustomer('gold', 'كارول العميلة');
    const agent = await suite.newAgent('Ada Agent');
    const context = await suite.newContext({ ...PHONE_390, locale: 'ar' });
    const customer = await CustomerPage.open(context, suite.stack.url);
    const { page } = customer;

    await page.getByRole('heading', { name: 'دعم العملاء' }).waitFor();
    expect(await htmlLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    await waitForTitle(page, ARABIC_TITLE);
    await expectLinkedManifest(page, '/manifest.ar.webmanifest', {
      name: ARABIC_TITLE,
      short_name: 'الدعم',
      lang: 'ar',
      dir: 'rtl',
    });
    await screenshot(page, 'languages-ar-1-login');

    // A wrong password: the error is Arabic too.
    await page.getByLabel('اسم الدخول', { exact: true }).fill(account.login);
    await page.getByLabel('كلمة المرور', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
    await page.getByText('اسم الدخول وكلمة المرور غير متطابقين').waitFor();
    await page.getByLabel('كلمة المرور', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
    await page.getByRole('heading', { name: 'دردشة الدعم' }).waitFor();
    const banner = page.getByRole('status', { name: 'حالة الدردشة' });
    await banner.getByText('غير متصل').waitFor();

    await page.getByRole('button', { name: 'اطلب المساعدة', exact: true }).click();
    await banner.getByText('تم إرسال الطلب').waitFor();
    const composer = page.getByRole('textbox', { name: 'الرسالة' });
    await composer.fill('مرحبًا، لم يصل طلبي');
    await composer.press('Enter');
    await page.locator('.message.own').getByText('مرحبًا، لم يصل طلبي').waitFor();
    await screenshot(page, 'languages-ar-2-queued');

    // The app said its language on connecting: the agent who takes the customer sees it.
    const taken = await agent.requestOk('chat.start');
    expect(taken.customer.profile.language).toBe('ar');
    await banner.getByText('في محادثة').waitFor();
    await banner.getByText('Ada Agent').waitFor();
    await agentWrites(agent, account.id, 'Hello! Let me check your order.');
    const theirs = page.locator('.message.theirs').filter({ hasText: 'Let me check' });
    await theirs.waitFor();
    await screenshot(page, 'languages-ar-3-chat');

    // Right to left: the customer's own bubble on the end side (left), the agent's on the right.
    const own = await page.locator('.message.own .bubble').first().boundingBox();
    const other = await theirs.locator('.bubble').boundingBox();
    expect(own && other && own.x + own.width < other.x + other.width / 2).toBe(true);
    expect(own!.x).toBeLessThan(40);
    expect(other!.x + other!.width).toBeGreaterThan(390 - 40);
    // The message text keeps its own direction (Latin text in an Arabic page).
    expect(await theirs.locator('.text').getAttribute('dir')).toBe('auto');

    // The message time is the Arabic clock time, as Intl writes it for Arabic.
    const time = theirs.locator('time');
    const stamp = await time.getAttribute('datetime');
    const arabicTime = await page.evaluate(
      `new Intl.DateTimeFormat('ar', { hour: 'numeric', minute: '2-digit' }).format(new Date(${JSON.stringify(stamp)}))`,
    );
    expect(await time.textContent()).toBe(arabicTime);
    // Arabic's day-half marks (ص, م), not English's AM/PM.
    expect(arabicTime).toMatch(/[صم]/);

    // Your Info over the chat: Arabic labels, the phone number still left to right.
    await page.getByRole('button', { name: 'معلوماتك', exact: true }).click();
    const phone = page.locator('#your-info dd[dir="ltr"]');
    await phone.waitFor();
    expect(await phone.textContent()).toMatch(/^\+/);
    await screenshot(page, 'languages-ar-4-your-info');
  });

  it('switches language at once, keeps it after a reload, and tells the agent of the switch', async () => {
    const account = await suite.newCustomer('platinum', 'Carol Customer');
    const agent = await suite.newAgent('Ada Agent');
    const customer = await CustomerPage.open(await suite.newContext(PHONE_390), suite.stack.url);
    const { page } = customer;

    // No locale set: the browser's English.
    await customer.signInButton.waitFor();
    expect(await htmlLanguage(page)).toEqual({ lang: 'en', dir: 'ltr' });
    await waitForTitle(page, 'Customer Support Chat');
    await expectLinkedManifest(page, '/manifest.webmanifest', {
      name: 'Customer Support Chat',
      short_name: 'Support',
      lang: 'en',
      dir: 'ltr',
    });

    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { name: 'Atención al cliente' }).waitFor();
    expect(await htmlLanguage(page)).toEqual({ lang: 'es', dir: 'ltr' });
    await waitForTitle(page, SPANISH_TITLE);
    await expectLinkedManifest(page, '/manifest.es.webmanifest', {
      name: SPANISH_TITLE,
      short_name: 'Soporte',
      lang: 'es',
      dir: 'ltr',
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Atención al cliente' }).waitFor();
    expect(await page.getByLabel('Idioma').inputValue()).toBe('es');
    await waitForTitle(page, SPANISH_TITLE);
    await expectLinkedManifest(page, '/manifest.es.webmanifest', { lang: 'es' });

    await page.getByLabel('Usuario', { exact: true }).fill(account.login);
    await page.getByLabel('Contraseña', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.getByRole('button', { name: 'Pedir ayuda', exact: true }).click();
    await page
      .getByRole('status', { name: 'Estado del chat' })
      .getByText('Solicitud enviada')
      .waitFor();
    const taken = await agent.requestOk('chat.start');
    expect(taken.customer.profile.language).toBe('es');

    // Your Info: the customer-since date in Spanish, and the switch.
    await page.getByRole('button', { name: 'Tus datos', exact: true }).click();
    const info = page.locator('#your-info');
    const since = await page.evaluate(
      `new Intl.DateTimeFormat('es', { dateStyle: 'long' }).format(new Date(${JSON.stringify(
        taken.customer.profile.customerSince,
      )}))`,
    );
    await info.getByText(since as string).waitFor();
    expect(since).toMatch(/ de /);

    // In the background with a message unread, the switch keeps the count in the title.
    await customer.setVisibility('hidden');
    await agentWrites(agent, account.id, 'Your order ships today.');
    // (Your Info covers the chat on a phone: the message is there, behind it.)
    await page
      .locator('.message.theirs')
      .filter({ hasText: 'Your order ships today.' })
      .waitFor({ state: 'attached' });
    await waitForTitle(page, `(1) ${SPANISH_TITLE}`);

    const mark = agent.mark();
    await info.getByLabel('Idioma').selectOption('ar');
    await page.getByRole('heading', { name: 'دردشة الدعم' }).waitFor();
    expect(await htmlLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    // The count in Arabic's digits, as the page's Intl writes them.
    const oneInArabic = await page.evaluate<string>("(1).toLocaleString('ar')");
    await waitForTitle(page, `(${oneInArabic}) ${ARABIC_TITLE}`);
    await expectLinkedManifest(page, '/manifest.ar.webmanifest', {
      name: ARABIC_TITLE,
      short_name: 'الدعم',
      lang: 'ar',
      dir: 'rtl',
    });
    await customer.setVisibility('visible');
    await waitForTitle(page, ARABIC_TITLE);
    await page.getByRole('status', { name: 'حالة الدردشة' }).getByText('في محادثة').waitFor();
    const state = await agent.waitFor(
      'agent.state',
      (s) => s.customer?.profile.language === 'ar',
      mark,
    );
    expect(state.customer?.id).toBe(account.id);

    await page.reload();
    await page.getByRole('heading', { name: 'دردشة الدعم' }).waitFor();
    expect(await htmlLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    await waitForTitle(page, ARABIC_TITLE);
    await expectLinkedManifest(page, '/manifest.ar.webmanifest', { lang: 'ar', dir: 'rtl' });
  });
});
