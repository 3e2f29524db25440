// The supervisor console's Administration page in Chromium (issue 15): an admin changes an
// agent's capacity in the browser, the running agent's session gets it at once, and the audit
// log page shows who changed what, before and after. A new account's generated password is
// shown once and logs in. A supervisor without the admin right has neither page.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useSupervisorTestStack } from './support/supervisorConsole';

const suite = useSupervisorTestStack();

describe('administration in the console', () => {
  it('an admin’s capacity change reaches the running agent at once and is in the audit log', async () => {
    const { stack } = suite.get();
    const { page, account: admin } = await suite.get().signedInConsole({ admin: true });
    const agentAccount = await stack.createAgent('Cap Agent');
    const agent = await suite.get().client(agentAccount);
    await agent.waitFor('agent.state');

    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByLabel('Search agents').fill(agentAccount.login);
    const row = page.locator(`tr[data-login="${agentAccount.login}"]`);
    await row.waitFor();
    await page.getByRole('button', { name: `Edit ${agentAccount.login}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit agent ${agentAccount.login}` });
    const capacity = dialog.getByLabel('Capacity (conversations at once)');
    // A bad value is refused by the server with its words next to the form.
    await capacity.evaluate((input: HTMLInputElement) => {
      input.removeAttribute('max');
    });
    await capacity.fill('99');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toContain('capacity is at most 10');

    const from = agent.mark();
    await capacity.fill('3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const state = await agent.waitFor('agent.state', (s) => s.capacity === 3, from);
    expect(state.capacity).toBe(3);
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('3');

    await page.getByRole('button', { name: 'Audit log' }).click();
    const entry = page.locator('table.audit tbody tr').filter({ hasText: agentAccount.login });
    await entry.first().waitFor();
    const cells = await entry.first().locator('td').allTextContents();
    expect(cells.slice(1)).toEqual([
      `${admin.displayName} (${admin.login})`,
      'agent.update',
      `agent ${agentAccount.login}`,
      'capacity: 1',
      'capacity: 3',
    ]);

    // The export downloads the log (fetched with the session's token, saved from a Blob).
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.json$/);
    const path = await download.path();
    const exported = JSON.parse(await readFile(path, 'utf8')) as {
      action: string;
      target: { id: string };
      after: unknown;
    }[];
    expect(exported).toContainEqual(
      expect.objectContaining({
        action: 'agent.update',
        target: expect.objectContaining({ id: agentAccount.id }) as unknown,
        after: { capacity: 3 },
      }),
    );
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Downloaded' }).textContent())
      .toMatch(/^Downloaded audit-.*\.json \(\d/);
  });

  it('creates an agent with a generated password shown once, which logs in', async () => {
    const { stack } = suite.get();
    const { page } = await suite.get().signedInConsole({ admin: true });
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('button', { name: 'New agent' }).click();
    const dialog = page.getByRole('dialog', { name: 'New agent' });
    const login = `agent-ui-${Date.now()}`;
    await dialog.getByLabel('Login').fill(login);
    await dialog.getByLabel('Name').fill('Una Interface');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const shown = page.getByRole('dialog', { name: `New password for ${login}` });
    await expect.poll(() => shown.textContent()).toContain('Shown once');
    const password = (await shown.getByLabel('New password').textContent()) ?? '';
    expect(password).toMatch(/^[\w-]{16}$/);
    await shown.getByRole('button', { name: 'Close' }).click();
    await shown.waitFor({ state: 'hidden' });
    const answer = await stack.login({
      id: '',
      role: 'agent',
      login,
      password,
      displayName: 'Una Interface',
    });
    expect(answer.user).toMatchObject({ role: 'agent', displayName: 'Una Interface' });
  });

  it('shows neither Administration nor the audit log to a supervisor without the admin right', async () => {
    const { page } = await suite.get().signedInConsole({ admin: false });
    await page.getByRole('button', { name: 'Wallboard' }).waitFor();
    expect(await page.getByRole('button', { name: 'Administration' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Audit log' }).count()).toBe(0);
  });
});
