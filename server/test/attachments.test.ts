// Attachments (issue 16 point 2) against the real server, Redis and the MongoDB-compatible
// store: uploads over HTTP, sends over Socket.IO, downloads with each party's token.
import { randomUUID } from 'node:crypto';
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
});
