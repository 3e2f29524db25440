// Attachments (issue 16 point 2) against the real server, Redis and the MongoDB-compatible
// store: uploads over HTTP, sends over Socket.IO, downloads with each party's token.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  attachmentLimitsSchema,
  attachmentPath,
  attachmentThumbnailPath,
  attachmentUploadResultSchema,
  ATTACHMENTS_PATH,
  type Attachment,
} from '@callcenter/shared';
import { useTestStack, type TestClient } from '@callcenter/devstack/testing';

const suite = useTestStack({ config: { attachments: { maxBytes: 256 * 1024 } } });
const { loginNew } = suite;

/** A JPEG photo as phones write them: EXIF with the owner and GPS, turned by its orientation. */
async function phoneJpeg(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c04020' } })
    .jpeg()
    .withExif({
      IFD0: { Copyright: 'Carol Owner', Make: 'PhoneCo' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 0/1',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 0/1',
      },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** The smallest PDF a viewer opens. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

/**
 * A 64x64 HEIC photo (libheif's test file fuzzing/data/corpus/colors-no-alpha.heic, 499 bytes).
 */
const HEIC = Buffer.from(
  'AAAAGGZ0eXBoZWljAAAAAG1pZjFoZWljAAABLm1ldGEAAAAAAAAAIWhkbHIAAAAAAAAAAHBpY3QAAAAAAAAAAAAAAAAAAAAADnBpdG0AAAAAAAEAAAAiaWxvYwAAAABEQAABAAEAAAAAAU4AAQAAAAAAAAClAAAAI2lpbmYAAAAAAAEAAAAVaW5mZQIAAAAAAQAAaHZjMQAAAACuaXBycAAAAJFpcGNvAAAAdWh2Y0MBA3AAAAAAAAAAAAAe8AD8/fj4AAAPAyAAAQAYQAEMAf//A3AAAAMAkAAAAwAAAwAeugJAIQABAChCAQEDcAAAAwCQAAADAAADAB6gIIEFlupJKa5sCAAAAwAIAAADAAhAIgABAAdEAcFysCJAAAAAFGlzcGUAAAAAAAAAQAAAAEAAAAAVaXBtYQAAAAAAAAABAAECgQIAAACtbWRhdAAAAKEmAa8TgIGSEXXAGM2sfMMD8HKXsBNBYjkEW6//QKl1HfLCc/SN/bWOG2ARaa8rk4JsxRuKJFz/vIlnrSBv0Pk7pYMv503LniUfVt0RGOMyTBZVcbnDhlXs0nsTVObq7679Fh7MfXPARYndCrwpKWSNTQcCjNVYWPVOenDxU81lLBnE070xnN107IoLiTNywdiNWzedf/q6zzV3iwZflrO94A==',
  'base64',
);

interface UploadAnswer {
  status: number;
  body: unknown;
}

async function upload(
  client: TestClient | null,
  content: Buffer,
  name: string,
  options: { uploadId?: string; contentType?: string } = {},
): Promise<UploadAnswer> {
  const query = new URLSearchParams({ name, uploadId: options.uploadId ?? randomUUID() });
  const response = await fetch(`${suite.stack.url}${ATTACHMENTS_PATH}?${query.toString()}`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/octet-stream',
      ...(client && { authorization: `Bearer ${client.token}` }),
    },
    body: content,
  });
  return { status: response.status, body: await response.json() };
}

async function uploadOk(client: TestClient, content: Buffer, name: string): Promise<Attachment> {
  const answer = await upload(client, content, name);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return attachmentUploadResultSchema.parse(answer.body).attachment;
}

function download(client: TestClient | null, path: string, headers: Record<string, string> = {}) {
  return fetch(`${suite.stack.url}${path}`, {
    headers: { ...headers, ...(client && { authorization: `Bearer ${client.token}` }) },
  });
}

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

/** A customer in a conversation with an agent. */
async function chatting(): Promise<{ customer: TestClient; agent: TestClient }> {
  const customer = await loginNew('customer');
  const agent = await loginNew('agent');
  await customer.requestOk('chat.request');
  await agent.requestOk('chat.start');
  return { customer, agent };
}

function storedAttachments() {
  return suite.stack.server.mongo.db.collection('attachments');
}

describe('attachments', () => {
  it('tells clients the limits without a token', async () => {
    const response = await fetch(`${suite.stack.url}/api/attachments/limits`);
    expect(response.status).toBe(200);
    expect(attachmentLimitsSchema.parse(await response.json())).toMatchObject({
      maxBytes: 256 * 1024,
      types: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
      heicConverted: true,
    });
  });

  it('a customer sends a phone photo: the agent gets it upright, without EXIF or GPS, with a thumbnail', async () => {
    const { customer, agent } = await chatting();
    const photo = await phoneJpeg();
    const attachment = await uploadOk(customer, photo, 'IMG_0001.JPG');
    // Turned upright by its orientation: 64x48 stored on its side becomes 48x64.
    expect(attachment).toMatchObject({
      name: 'IMG_0001.jpg',
      type: 'image/jpeg',
      width: 48,
      height: 64,
      hasThumbnail: true,
    });
    const sent = await customer.requestOk('message.send', {
      clientMsgId: randomUUID(),
      attachmentId: attachment.id,
    });
    expect(sent.message).toMatchObject({ text: '', attachment });
    const delivered = await agent.waitFor('message.new', (m) => m.id === sent.message.id);
    expect(delivered.attachment).toEqual(attachment);

    const response = await download(agent, attachmentPath(attachment.id));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename="IMG_0001.jpg"; filename*=UTF-8''IMG_0001.jpg`,
    );
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(response.headers.get('cache-control')).toContain('private');
    const served = await bytesOf(response);
    expect(served.length).toBe(attachment.size);
    const metadata = await sharp(served).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect([metadata.width, metadata.height]).toEqual([48, 64]);
    expect(served.includes('Carol Owner')).toBe(false);
    expect(served.includes('PhoneCo')).toBe(false);

    const thumbnail = await download(agent, attachmentThumbnailPath(attachment.id));
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect(thumbnail.headers.get('x-content-type-options')).toBe('nosniff');
    const thumbnailMeta = await sharp(await bytesOf(thumbnail)).metadata();
    expect(thumbnailMeta.format).toBe('webp');
    expect(Math.max(thumbnailMeta.width, thumbnailMeta.height)).toBeLessThanOrEqual(320);
  });

  it('an agent sends a PDF: the customer downloads it as an attachment; text goes with it', async () => {
    const { customer, agent } = await chatting();
    const attachment = await uploadOk(agent, PDF, 'Invoice März.pdf');
    expect(attachment).toEqual({
      id: attachment.id,
      name: 'Invoice März.pdf',
      type: 'application/pdf',
      size: PDF.length,
      hasThumbnail: false,
    });
    const sent = await agent.requestOk('message.send', {
      customerId: customer.account!.id,
      clientMsgId: randomUUID(),
      text: 'Your invoice',
      attachmentId: attachment.id,
    });
    const delivered = await customer.waitFor('message.new', (m) => m.id === sent.message.id);
    expect(delivered).toMatchObject({ text: 'Your invoice', attachment });

    const response = await download(customer, attachmentPath(attachment.id));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Invoice M_rz.pdf"; filename*=UTF-8''Invoice%20M%C3%A4rz.pdf`,
    );
    expect(await bytesOf(response)).toEqual(PDF);
    // No thumbnail for a PDF.
    expect((await download(customer, attachmentThumbnailPath(attachment.id))).status).toBe(404);
  });

  it('refuses a file over the limit with 413 and stores nothing', async () => {
    const customer = await loginNew('customer');
    const before = await storedAttachments().countDocuments();
    const huge = Buffer.concat([PDF, Buffer.alloc(300 * 1024, 0x20)]);
    const answer = await upload(customer, huge, 'big.pdf');
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({
      error: { code: 'too_large', message: 'The file is too large: files can be up to 256 KB.' },
    });
    expect(await storedAttachments().countDocuments()).toBe(before);
  });

  it('refuses a file streamed without a length once it passes the limit, and stores nothing', async () => {
    const customer = await loginNew('customer');
    const before = await storedAttachments().countDocuments();
    const url = new URL(
      `${suite.stack.url}${ATTACHMENTS_PATH}?name=big.jpg&uploadId=${randomUUID()}`,
    );
    let sent = 0;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        url,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${customer.token}`, 'transfer-encoding': 'chunked' },
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => {
            resolve({ status: response.statusCode ?? 0, body });
          });
        },
      );
      request.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0xff);
      // Up to 4 MB, far past the limit: the server answers (and stops reading) long before.
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!request.write(chunk)) {
            request.once('drain', pump);
            return;
          }
        }
        request.end();
      };
      pump();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'too_large' } });
    expect(await storedAttachments().countDocuments()).toBe(before);
  });

  it('refuses disguised files with 415 naming the accepted types, and stores nothing', async () => {
    const customer = await loginNew('customer');
    const before = await storedAttachments().countDocuments();
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/api/auth/logout",{method:"POST"})</script></svg>',
    );
    const html = Buffer.from(
      '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
    );
    const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
    const refusals = [
      await upload(customer, svg, 'cat.png', { contentType: 'image/png' }),
      await upload(customer, svg, 'cat.svg', { contentType: 'image/svg+xml' }),
      await upload(customer, html, 'receipt.jpg', { contentType: 'image/jpeg' }),
      await upload(customer, Buffer.from('MZ\x90\x00 not really a program'), 'setup.pdf'),
      // A PDF header not at the start is no PDF.
      await upload(customer, Buffer.concat([Buffer.from('<html>'), PDF]), 'doc.pdf'),
      await upload(customer, gif, 'anim.gif'),
    ];
    for (const refusal of refusals) {
      expect(refusal.status).toBe(415);
      expect(refusal.body).toMatchObject({ error: { code: 'unsupported_type' } });
      expect((refusal.body as { error: { message: string } }).error.message).toContain(
        'JPEG, PNG or WebP pictures, HEIC photos, or PDF documents',
      );
    }
    expect((refusals[5]!.body as { error: { message: string } }).error.message).toMatch(/^A GIF/);
    expect(await storedAttachments().countDocuments()).toBe(before);
  });

  it('serves a PDF named like a picture as a PDF download, never inline', async () => {
    const { customer, agent } = await chatting();
    const attachment = await uploadOk(customer, PDF, 'holiday.jpg');
    expect(attachment).toMatchObject({ type: 'application/pdf', name: 'holiday.pdf' });
    await customer.requestOk('message.send', {
      clientMsgId: randomUUID(),
      attachmentId: attachment.id,
    });
    const response = await download(agent, attachmentPath(attachment.id));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; /);
  });

  it('re-encodes a picture with a page appended to it: only the pixels are kept', async () => {
    const customer = await loginNew('customer');
    const png = await sharp({
      create: { width: 20, height: 10, channels: 4, background: '#00ff0080' },
    })
      .png()
      .toBuffer();
    const polyglot = Buffer.concat([png, Buffer.from('<html><script>alert(1)</script></html>')]);
    const attachment = await uploadOk(customer, polyglot, 'dot.png');
    expect(attachment).toMatchObject({ type: 'image/png', width: 20, height: 10 });
    const served = await bytesOf(await download(customer, attachmentPath(attachment.id)));
    expect(served.includes('<script>')).toBe(false);
    expect((await sharp(served).metadata()).hasAlpha).toBe(true);
  });

  it('makes a file name safe: no folders, control or bidi characters, at most 120 characters', async () => {
    const customer = await loginNew('customer');
    const jpeg = await phoneJpeg(8, 8);
    const cases: [string, string][] = [
      ['../../etc/passwd.jpg', 'passwd.jpg'],
      ['C:\\Users\\carol\\photo.JPEG', 'photo.jpeg'],
      ['inv\u202Egpj.exe', 'invgpj.jpg'],
      ['line\nbreak\u0000.jpg', 'linebreak.jpg'],
      ['...', 'picture.jpg'],
      [`${'é'.repeat(200)}.jpg`, `${'é'.repeat(116)}.jpg`],
    ];
    for (const [raw, safe] of cases) {
      const attachment = await uploadOk(customer, jpeg, raw);
      expect(attachment.name, raw).toBe(safe);
    }
  });

  it('converts a HEIC photo to a JPEG, and refuses a damaged one clearly', async () => {
    const { customer, agent } = await chatting();
    const attachment = await uploadOk(customer, HEIC, 'IMG_4242.HEIC');
    expect(attachment).toMatchObject({
      name: 'IMG_4242.jpg',
      type: 'image/jpeg',
      width: 64,
      height: 64,
      hasThumbnail: true,
    });
    await customer.requestOk('message.send', {
      clientMsgId: randomUUID(),
      attachmentId: attachment.id,
    });
    const served = await bytesOf(await download(agent, attachmentPath(attachment.id)));
    expect((await sharp(served).metadata()).format).toBe('jpeg');

    const damaged = Buffer.concat([HEIC.subarray(0, 200), Buffer.alloc(300, 7)]);
    const refusal = await upload(customer, damaged, 'IMG_4243.HEIC');
    expect(refusal.status).toBe(415);
    expect(refusal.body).toMatchObject({ error: { code: 'unsupported_type' } });
  });

  it('serves a file only to the parties and supervisors: 404 to anyone else, 401 without a token', async () => {
    const { customer, agent } = await chatting();
    const otherCustomer = await loginNew('customer');
    const otherAgent = await loginNew('agent');
    const supervisor = await loginNew('supervisor');
    const attachment = await uploadOk(customer, await phoneJpeg(), 'me.jpg');
    const file = attachmentPath(attachment.id);
    const thumbnail = attachmentThumbnailPath(attachment.id);

    // Before it is sent, only its uploader has it: not even the agent of the conversation.
    expect((await download(customer, file)).status).toBe(200);
    for (const reader of [agent, supervisor, otherCustomer, otherAgent]) {
      expect((await download(reader, file)).status).toBe(404);
    }

    await customer.requestOk('message.send', {
      clientMsgId: randomUUID(),
      attachmentId: attachment.id,
    });
    for (const reader of [customer, agent, supervisor]) {
      expect((await download(reader, file)).status).toBe(200);
      expect((await download(reader, thumbnail)).status).toBe(200);
    }
    for (const reader of [otherCustomer, otherAgent]) {
      const refused = await download(reader, file);
      expect(refused.status).toBe(404);
      // The same answer as for a file that does not exist.
      expect(await refused.json()).toEqual({
        error: { code: 'not_found', message: 'No such file.' },
      });
      expect((await download(reader, thumbnail)).status).toBe(404);
    }
    expect((await download(otherAgent, attachmentPath(randomUUID()))).status).toBe(404);
    expect((await download(null, file)).status).toBe(401);
    expect((await download(null, file, { authorization: 'Bearer not-a-token' })).status).toBe(401);
    // An id outside the id alphabet is no file either.
    expect((await download(agent, `${ATTACHMENTS_PATH}/..%2F..%2Fetc`)).status).toBe(404);
  });

  it('an agent the conversation was transferred from keeps the file, the new one gets it', async () => {
    const { customer, agent } = await chatting();
    const colleague = await loginNew('agent');
    const attachment = await uploadOk(customer, PDF, 'contract.pdf');
    const sent = await customer.requestOk('message.send', {
      clientMsgId: randomUUID(),
      attachmentId: attachment.id,
    });
    expect((await download(colleague, attachmentPath(attachment.id))).status).toBe(404);
    await agent.requestOk('chat.transfer', {
      conversationId: sent.message.conversationId,
      toAgentId: colleague.account!.id,
    });
    await colleague.waitFor('agent.state', (s) =>
      s.conversations.some((c) => c.conversationId === sent.message.conversationId),
    );
    expect((await download(colleague, attachmentPath(attachment.id))).status).toBe(200);
    expect((await download(agent, attachmentPath(attachment.id))).status).toBe(200);
  });

  it('an upload goes with one message of its uploader; a retry of that message is the same message', async () => {
    const { customer, agent } = await chatting();
    const stranger = await loginNew('customer');
    await stranger.requestOk('chat.request');
    const attachment = await uploadOk(customer, await phoneJpeg(), 'once.jpg');

    // Nobody else can send it: not another customer, not the agent of the conversation.
    const stolen = await stranger.request('message.send', {
      clientMsgId: randomUUID(),
      attachmentId: attachment.id,
    });
    expect(stolen).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const byAgent = await agent.request('message.send', {
      customerId: customer.account!.id,
      clientMsgId: randomUUID(),
      attachmentId: attachment.id,
    });
    expect(byAgent).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await download(stranger, attachmentPath(attachment.id))).status).toBe(404);

    const clientMsgId = randomUUID();
    const first = await customer.requestOk('message.send', {
      clientMsgId,
      attachmentId: attachment.id,
    });
    // The outbox sends again after a lost ack: the same message, not a refusal.
    const again = await customer.requestOk('message.send', {
      clientMsgId,
      attachmentId: attachment.id,
    });
    expect(again.message).toEqual(first.message);
    const twice = await customer.request('message.send', {
      clientMsgId: randomUUID(),
      text: 'and again',
      attachmentId: attachment.id,
    });
    expect(twice).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const stored = await suite.stack.server.mongo.collections.messages
      .find({ 'attachment.id': attachment.id })
      .toArray();
    expect(stored.map((m) => m._id)).toEqual([first.message.id]);

    // Neither text nor a file: refused.
    const empty = await customer.request('message.send', { clientMsgId: randomUUID() });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('an upload repeated with its uploadId answers the stored one; supervisors cannot upload', async () => {
    const customer = await loginNew('customer');
    const uploadId = randomUUID();
    const photo = await phoneJpeg();
    const first = await upload(customer, photo, 'a.jpg', { uploadId });
    const second = await upload(customer, photo, 'a.jpg', { uploadId });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const id = attachmentUploadResultSchema.parse(first.body).attachment.id;
    expect(await storedAttachments().countDocuments({ uploadId })).toBe(1);
    expect(await storedAttachments().countDocuments({ _id: id as never })).toBe(1);
    // Two attempts at once (a retry racing the first): one record, one set of files.
    const racedId = randomUUID();
    const files = suite.stack.server.mongo.db.collection('attachments.files');
    const filesBefore = await files.countDocuments();
    const raced = await Promise.all([
      upload(customer, photo, 'b.jpg', { uploadId: racedId }),
      upload(customer, photo, 'b.jpg', { uploadId: racedId }),
    ]);
    expect(raced.map((answer) => answer.status).sort()).toEqual([200, 201]);
    expect(raced[0].body).toEqual(raced[1].body);
    expect(await storedAttachments().countDocuments({ uploadId: racedId })).toBe(1);
    // The picture and its thumbnail; the loser's were removed.
    expect(await files.countDocuments()).toBe(filesBefore + 2);
    // Another user's same uploadId is another upload.
    const other = await loginNew('customer');
    expect((await upload(other, photo, 'a.jpg', { uploadId })).status).toBe(201);

    const supervisor = await loginNew('supervisor');
    const refused = await upload(supervisor, photo, 'a.jpg');
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await upload(null, photo, 'a.jpg')).status).toBe(401);
    const noName = await fetch(`${suite.stack.url}${ATTACHMENTS_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer.token}` },
      body: photo,
    });
    expect(noName.status).toBe(400);
  });

  it('history, sync and a supervisor watching carry the attachment; ETag and Range work', async () => {
    const { customer, agent } = await chatting();
    const supervisor = await loginNew('supervisor');
    const attachment = await uploadOk(agent, PDF, 'terms.pdf');
    const sent = await agent.requestOk('message.send', {
      customerId: customer.account!.id,
      clientMsgId: randomUUID(),
      attachmentId: attachment.id,
    });
    const synced = await customer.requestOk('session.sync', {});
    expect(synced.messages.find((m) => m.id === sent.message.id)?.attachment).toEqual(attachment);
    const watched = await supervisor.requestOk('supervisor.watch', {
      conversationId: sent.message.conversationId,
    });
    expect(watched.messages.find((m) => m.id === sent.message.id)?.attachment).toEqual(attachment);
    const transcript = await download(
      supervisor,
      `/api/supervisor/transcripts/${sent.message.conversationId}`,
    );
    const read = (await transcript.json()) as { messages: { id: string; attachment?: unknown }[] };
    expect(read.messages.find((m) => m.id === sent.message.id)?.attachment).toEqual(attachment);
    const csv = await download(
      supervisor,
      `/api/supervisor/transcripts/export?format=csv&customer=${encodeURIComponent(customer.account!.displayName)}`,
    );
    expect(await csv.text()).toContain('[attachment: terms.pdf]');

    const whole = await download(customer, attachmentPath(attachment.id));
    const etag = whole.headers.get('etag')!;
    await whole.arrayBuffer();
    const unchanged = await download(customer, attachmentPath(attachment.id), {
      'if-none-match': etag,
    });
    expect(unchanged.status).toBe(304);
    const part = await download(customer, attachmentPath(attachment.id), { range: 'bytes=0-7' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-7/${PDF.length}`);
    expect((await bytesOf(part)).toString('latin1')).toBe('%PDF-1.4');
    const beyond = await download(customer, attachmentPath(attachment.id), {
      range: 'bytes=9999-',
    });
    expect(beyond.status).toBe(416);
  });

  it('retention removes an old conversation with its files; unsent uploads go after a day', async () => {
    const { customer, agent } = await chatting();
    const attachment = await uploadOk(customer, await phoneJpeg(), 'old.jpg');
    const sent = await customer.requestOk('message.send', {
      clientMsgId: randomUUID(),
      attachmentId: attachment.id,
    });
    const conversationId = sent.message.conversationId;
    await agent.requestOk('chat.end', { conversationId });
    const { conversations } = suite.stack.server.mongo.collections;
    // Ended long ago (the end is written just after the ack: wait for it).
    await expect
      .poll(async () => (await conversations.findOne({ _id: conversationId }))?.status)
      .toBe('ended');
    await conversations.updateOne(
      { _id: conversationId },
      { $set: { endedAt: new Date(Date.now() - 40 * 86_400_000) } },
    );
    // An upload nobody sent, from two days ago, and one from now.
    const unsent = await uploadOk(customer, PDF, 'forgotten.pdf');
    const fresh = await uploadOk(customer, PDF, 'fresh.pdf');
    await storedAttachments().updateOne(
      { _id: unsent.id as never },
      { $set: { createdAt: new Date(Date.now() - 2 * 86_400_000) } },
    );
    const { db } = suite.stack.server.mongo;
    const filesBefore = await db.collection('attachments.files').countDocuments();
    const chunksBefore = await db.collection('attachments.chunks').countDocuments();

    const admin = await suite.stack.login(await suite.stack.createSupervisor({ admin: true }));
    const call = (method: string, path: string, body: object) =>
      fetch(`${suite.stack.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await call('PUT', '/api/supervisor/retention', { days: 30 })).status).toBe(200);
    const run = await call('POST', '/api/supervisor/retention/run', {});
    expect(run.status).toBe(200);
    expect(await run.json()).toMatchObject({ ran: true, report: { removedConversations: 1 } });

    expect(
      await storedAttachments().countDocuments({
        _id: { $in: [attachment.id, unsent.id] } as never,
      }),
    ).toBe(0);
    expect(await storedAttachments().countDocuments({ _id: fresh.id as never })).toBe(1);
    // The sent picture's file and thumbnail, and the unsent PDF: three files and their chunks.
    expect(await db.collection('attachments.files').countDocuments()).toBe(filesBefore - 3);
    expect(await db.collection('attachments.chunks').countDocuments()).toBe(chunksBefore - 3);
    expect((await download(customer, attachmentPath(attachment.id))).status).toBe(404);
    expect((await download(customer, attachmentPath(fresh.id))).status).toBe(200);
  });

  it('limits one user to 30 uploads a minute; refused ones count too, other users are not held up', async () => {
    const customer = await loginNew('customer');
    const answers: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      // Every fifth one is refused for its content: it counts all the same.
      const content = i % 5 === 4 ? Buffer.from('<svg/>') : PDF;
      answers.push((await upload(customer, content, `f${i}.pdf`)).status);
    }
    expect(answers.filter((status) => status === 201)).toHaveLength(24);
    expect(answers.filter((status) => status === 415)).toHaveLength(6);
    // The budget refills at one every 2 s: the next few at once meet the limit.
    const next = [];
    for (let i = 0; i < 3; i += 1) next.push(await upload(customer, PDF, 'more.pdf'));
    expect(next.map((answer) => answer.status)).toContain(429);
    expect(next.find((answer) => answer.status === 429)?.body).toMatchObject({
      error: { code: 'rate_limited' },
    });
    const other = await loginNew('customer');
    expect((await upload(other, PDF, 'mine.pdf')).status).toBe(201);
  });

  it('a queued customer sends a file: the agent who takes the request gets it, the queue shows its name', async () => {
    const customer = await loginNew('customer');
    const agent = await loginNew('agent');
    await customer.requestOk('chat.request');
    const attachment = await uploadOk(customer, PDF, 'order 1234.pdf');
    const sent = await customer.requestOk('message.send', {
      clientMsgId: randomUUID(),
      attachmentId: attachment.id,
    });
    const queued = await agent.waitFor('queue.snapshot', (q) =>
      q.entries.some((e) => e.customerId === customer.account!.id && e.preview !== null),
    );
    expect(queued.entries.find((e) => e.customerId === customer.account!.id)?.preview).toBe(
      'order 1234.pdf',
    );
    expect((await download(agent, attachmentPath(attachment.id))).status).toBe(404);
    const taken = await agent.requestOk('chat.start');
    expect(taken.conversation.id).toBe(sent.message.conversationId);
    expect(taken.messages.find((m) => m.id === sent.message.id)?.attachment).toEqual(attachment);
    expect((await download(agent, attachmentPath(attachment.id))).status).toBe(200);
  });

  it('ignores the claimed Content-Type, or its absence', async () => {
    const customer = await loginNew('customer');
    for (const contentType of [
      'application/json',
      'text/html',
      'image/svg+xml',
      'multipart/form-data',
    ]) {
      const answer = await upload(customer, PDF, 'claimed.pdf', { contentType });
      expect(answer.status, contentType).toBe(201);
    }
    const query = new URLSearchParams({ name: 'bare.pdf', uploadId: randomUUID() });
    const bare = await fetch(`${suite.stack.url}${ATTACHMENTS_PATH}?${query.toString()}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer.token}` },
      body: new Blob([PDF]),
    });
    expect(bare.status).toBe(201);
  });

  it("an agent's message with a file it cannot send does not take the customer first", async () => {
    const customer = await loginNew('customer');
    const agent = await loginNew('agent');
    const colleague = await loginNew('agent');
    await customer.requestOk('chat.request');
    const customersFile = await uploadOk(customer, PDF, 'mine.pdf');
    const refused = await agent.request('message.send', {
      customerId: customer.account!.id,
      clientMsgId: randomUUID(),
      text: 'here you go',
      attachmentId: customersFile.id,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Still waiting in the queue: a colleague takes it.
    const taken = await colleague.requestOk('chat.start');
    expect(taken.customer.id).toBe(customer.account!.id);
  });
});
