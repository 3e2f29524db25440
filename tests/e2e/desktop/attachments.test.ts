// Attachments in the agent console: a PDF the agent attaches reaches the customer once, a
// picture from the customer shows as a thumbnail that opens full size, and files the server
// would refuse are refused plainly (too large at once, a disguised one after the upload).
import { describe, expect, it } from 'vitest';
import { attachmentUploadResultSchema, type ChatMessage } from '@callcenter/shared';
import type { TestClient } from '@callcenter/devstack/testing';
import { attachThrough, noisePng, simplePdf } from '../../support/attachmentFixtures';
import { expectAccessible } from '../../support/axe';
import type { AgentConsolePage } from './support/agentConsolePage';
import { useConsoleTestStack } from './support/consoleTestStack';

const harness = useConsoleTestStack();

/** Ada in the console, in conversation with Gus (a Socket.IO customer). */
async function adaWithGus(): Promise<{ ada: AgentConsolePage; gus: TestClient }> {
  const { agentConsole: ada } = await harness().signedInConsole('Ada Agent');
  const gus = await harness().customer('gold', 'Gus Gold');
  await gus.requestOk('chat.request');
  await ada.startChatButton().click();
  await gus.waitFor('customer.state', (state) => state.state === 'inConversation');
  await ada.chatPanel('Gus Gold').waitFor();
  return { ada, gus };
}

function attachButton(ada: AgentConsolePage) {
  return ada.chatPanel('Gus Gold').getByRole('button', { name: 'Attach a file for Gus Gold' });
}

describe('agent console attachments', () => {
  it('a PDF the agent attaches is delivered once and shows as a file card', async () => {
    const { ada, gus } = await adaWithGus();
    const mark = gus.mark();
    const pdf = simplePdf('Terms and conditions', 40 * 1024);
    await attachThrough(ada.page, attachButton(ada), {
      name: 'terms.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    const delivered = await gus.waitFor(
      'message.new',
      (message: ChatMessage) => message.attachment !== undefined,
      mark,
    );
    expect(delivered.attachment).toMatchObject({
      name: 'terms.pdf',
      type: 'application/pdf',
      size: pdf.length,
      hasThumbnail: false,
    });
    expect(delivered.text).toBe('');
    const card = ada.chatPanel('Gus Gold').getByRole('button', { name: /^Download terms\.pdf/ });
    await card.waitFor();
    await ada.screenshot('32-attachment-pdf-sent');
    await expectAccessible(ada.page, 'PDF sent');
    const [download] = await Promise.all([ada.page.waitForEvent('download'), card.click()]);
    expect(download.suggestedFilename()).toBe('terms.pdf');
    expect(
      gus.received('message.new', mark).filter((message) => message.attachment !== undefined),
    ).toHaveLength(1);
  });

  it("shows the customer's picture as a thumbnail that opens full size", async () => {
    const { ada, gus } = await adaWithGus();
    const response = await fetch(`${harness().url}/api/attachments?name=dent.png&uploadId=gus-1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gus.token}`, 'content-type': 'image/png' },
      body: new Uint8Array(noisePng(640, 480)),
    });
    expect(response.status).toBe(201);
    const { attachment } = attachmentUploadResultSchema.parse(await response.json());
    await gus.requestOk('message.send', {
      clientMsgId: 'gus-1',
      attachmentId: attachment.id,
      text: 'The dent on the left door',
    });

    const thumbnail = ada.chatPanel('Gus Gold').getByRole('img', { name: 'dent.png' });
    await thumbnail.waitFor();
    await expect
      .poll(() => thumbnail.evaluate((image: HTMLImageElement) => image.naturalWidth))
      .toBeGreaterThan(0);
    await ada.chatPanel('Gus Gold').getByText('The dent on the left door').waitFor();
    await ada.screenshot('33-attachment-picture-received');
    await expectAccessible(ada.page, 'picture received');
    await thumbnail.click();
    const viewer = ada.page.getByRole('dialog', { name: 'dent.png' });
    const full = viewer.getByRole('img', { name: 'dent.png' });
    await expect
      .poll(() => full.evaluate((image: HTMLImageElement) => image.naturalWidth))
      .toBe(640);
    await ada.page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
  });

  it('refuses a file over the limit at once and a disguised one after the server read it', async () => {
    const { ada, gus } = await adaWithGus();
    const mark = gus.mark();
    await attachThrough(ada.page, attachButton(ada), {
      name: 'scan.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 1),
    });
    await ada
      .alerts()
      .filter({ hasText: '“scan.pdf” is too large: files can be up to 10 MB.' })
      .waitFor();

    await attachThrough(ada.page, attachButton(ada), {
      name: 'invoice.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('MZ this is not a PDF at all'),
    });
    const failed = ada.chatPanel('Gus Gold').locator('li.message.pending.failed');
    await failed.filter({ hasText: 'invoice.pdf' }).waitFor();
    await failed
      .getByRole('alert')
      .filter({ hasText: /^Not sent: / })
      .waitFor();
    expect(await failed.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await ada.screenshot('34-attachment-refused');
    await expectAccessible(ada.page, 'file refused');
    await failed.getByRole('button', { name: 'Discard' }).click();
    await failed.waitFor({ state: 'detached' });
    expect(
      gus.received('message.new', mark).filter((message) => message.attachment !== undefined),
    ).toEqual([]);
  });
});
