import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  ATTACHMENT_TYPES,
  ProtocolError,
  type Attachment,
  type AttachmentLimits,
  type Role,
} from '@callcenter/shared';
import type { ObjectId } from 'mongodb';
import type { SessionIdentity } from '../auth/authService';
import type { ChatQueue } from '../live/chatQueue';
import type { AttachmentDoc, AttachmentsRepository } from '../store/attachments';
import type { ConversationsRepository } from '../store/conversations';
import { acceptContent, safeAttachmentName } from './attachmentContent';
import type { HeicDecoder } from './heicDecoder';

/** Pictures decoded and encoded at once on a node: each may take a few hundred MB briefly. */
const PROCESSING_AT_ONCE = 2;
/** One user's uploads in progress on a node at once; more answer `rate_limited`. */
const UPLOADS_AT_ONCE_PER_USER = 3;
/**
 * Uploads in progress on a node at once, whoever sends them: each may hold up to the size limit
 * in memory while it arrives, so this bounds what uploads can take (64 x 10 MiB).
 */
const UPLOADS_AT_ONCE_PER_NODE = 64;
/** Users remembered before those with a full budget again are forgotten. */
const PRUNE_AT_USERS = 1_000;
/** Uploads one user may start per minute on a node (a burst of this many, refilled evenly). */
const UPLOADS_PER_MINUTE = 30;

/** A stored file (or its thumbnail) for a reader allowed to have it. */
export interface AttachmentDownload {
  attachment: Attachment;
  /** What the bytes are served as: the attachment's type, `image/webp` for a thumbnail. */
  contentType: string;
  /** The file's size in bytes (all of it, whatever range is read). */
  size: number;
  /** Opens the bytes, or an inclusive range of them. */
  open(range?: { start: number; end: number }): Readable;
}

/** What a message send needs from the attachments: the file bound to it, once. */
export interface AttachmentBinder {
  /**
   * Binds the sender's upload to the message (`clientMsgId`) going into `conversation`, and
   * answers what the message carries. Refuses another user's upload or an unknown id
   * (`not_found`), and one sent with another message before (`invalid_payload`). A retry of
   * the same message binds nothing new. `release` undoes a first binding whose message could
   * not be stored.
   */
  bind(
    sender: { role: Role; userId: string },
    attachmentId: string,
    clientMsgId: string,
    conversation: { conversationId: string; customerId: string },
  ): Promise<{ attachment: Attachment; release: () => Promise<void> }>;
  /**
   * Refuses, as `bind` would, an attachment the sender could not send with this message; for
   * a send with work to do before it binds (an agent's message that assigns the customer).
   */
  checkSendable(
    sender: { role: Role; userId: string },
    attachmentId: string,
    clientMsgId: string,
  ): Promise<void>;
}

/** "10 MB", "1.5 MB", "256 KB" (binary multiples, as file managers count). */
function sizeInWords(bytes: number): string {
  const round = (value: number) => String(Math.round(value * 10) / 10);
  if (bytes >= 1024 * 1024) return `${round(bytes / (1024 * 1024))} MB`;
  return `${round(bytes / 1024)} KB`;
}

function alreadySent(): ProtocolError {
  return new ProtocolError(
    'invalid_payload',
    'This attachment was already sent in another message; upload the file again to send it again.',
  );
}

function uploaderKey(role: string, userId: string): string {
  return `${role}:${userId}`;
}

export function attachmentView(doc: AttachmentDoc): Attachment {
  return {
    id: doc._id,
    name: doc.name,
    type: doc.type,
    size: doc.size,
    ...(doc.width !== null && { width: doc.width }),
    ...(doc.height !== null && { height: doc.height }),
    hasThumbnail: doc.thumbnailFileId !== null,
  };
}

/** Waits for a free slot among `size`; a small in-process semaphore. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

/** Each user's uploads in progress and recent starts, and all uploads in progress, on this node. */
class UploadBudgets {
  private readonly users = new Map<string, { inFlight: number; tokens: number; at: number }>();
  private inFlight = 0;

  /** Takes a start for `key`, or answers false; `done` must follow a true. */
  tryStart(key: string, now = Date.now()): boolean {
    if (this.inFlight >= UPLOADS_AT_ONCE_PER_NODE) return false;
    if (this.users.size >= PRUNE_AT_USERS) this.prune(now);
    const user = this.users.get(key) ?? { inFlight: 0, tokens: UPLOADS_PER_MINUTE, at: now };
    user.tokens = Math.min(
      UPLOADS_PER_MINUTE,
      user.tokens + ((now - user.at) / 60_000) * UPLOADS_PER_MINUTE,
    );
    user.at = now;
    if (user.inFlight >= UPLOADS_AT_ONCE_PER_USER || user.tokens < 1) {
      this.users.set(key, user);
      return false;
    }
    user.tokens -= 1;
    user.inFlight += 1;
    this.inFlight += 1;
    this.users.set(key, user);
    return true;
  }

  done(key: string): void {
    const user = this.users.get(key);
    if (!user) return;
    this.inFlight -= 1;
    user.inFlight -= 1;
  }

  /** Forgets users with nothing in flight whose budget has refilled (it would start full). */
  private prune(now: number): void {
    for (const [key, user] of this.users) {
      if (user.inFlight === 0 && now - user.at >= 60_000) this.users.delete(key);
    }
  }
}

/**
 * Uploads (checked, re-encoded, stored), their binding to the one message that sends each, and
 * who may read them: the conversation's customer, every agent that held the conversation, and
 * supervisors; before it is sent, only the uploader. Anyone else is told there is no such file.
 */
export class AttachmentService implements AttachmentBinder {
  private readonly processing = new Slots(PROCESSING_AT_ONCE);
  private readonly budgets = new UploadBudgets();

  constructor(
    private readonly store: AttachmentsRepository,
    private readonly conversations: ConversationsRepository,
    private readonly queue: ChatQueue,
    private readonly options: { maxBytes: number; heic: HeicDecoder | null },
  ) {}

  limits(): AttachmentLimits {
    return {
      maxBytes: this.options.maxBytes,
      types: [...ATTACHMENT_TYPES],
      heicConverted: this.options.heic !== null,
    };
  }

  /**
   * Lets an upload begin, before its body is read, or refuses it: supervisors send no files,
   * and a user has 3 uploads at once and 30 a minute (the node 64 at once). Call the answer
   * when the upload is over, whichever way (more than once is harmless).
   */
  reserveUpload(uploader: SessionIdentity): () => void {
    if (uploader.role === 'supervisor') {
      throw new ProtocolError('forbidden', 'Supervisors do not send files.');
    }
    const key = uploaderKey(uploader.role, uploader.userId);
    if (!this.budgets.tryStart(key)) {
      throw new ProtocolError('rate_limited', 'Too many files at once; wait a moment and retry.');
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.budgets.done(key);
    };
  }

  /**
   * Stores an upload (read, re-encoded, thumbnail made) and answers it; the same uploader's
   * same `uploadId` again answers the stored one (`created` false) and stores nothing. The
   * caller reserved it (reserveUpload).
   */
  async upload(
    uploader: SessionIdentity,
    input: { name: string; uploadId: string; content: Buffer },
  ): Promise<{ attachment: Attachment; created: boolean }> {
    const key = uploaderKey(uploader.role, uploader.userId);
    const earlier = await this.store.findByUpload(key, input.uploadId);
    if (earlier) return { attachment: attachmentView(earlier), created: false };
    if (input.content.length > this.options.maxBytes) throw this.tooLarge();
    const accepted = await this.processing.run(() =>
      acceptContent(input.content, this.options.heic),
    );
    const name = safeAttachmentName(input.name, accepted.type);
    const written: ObjectId[] = [];
    let fileId: ObjectId;
    let thumbnailFileId: ObjectId | null = null;
    try {
      fileId = await this.store.writeFile(accepted.content, name, accepted.type);
      written.push(fileId);
      if (accepted.thumbnail !== null) {
        thumbnailFileId = await this.store.writeFile(
          accepted.thumbnail,
          `thumbnail-${name}`,
          'image/webp',
        );
        written.push(thumbnailFileId);
      }
    } catch (error) {
      // No file without a record: what was written of this upload goes (as far as it can).
      await this.store.deleteFiles(written).catch(() => undefined);
      throw error;
    }
    const doc: AttachmentDoc = {
      _id: randomUUID(),
      uploaderKey: key,
      uploadId: input.uploadId,
      name,
      type: accepted.type,
      size: accepted.content.length,
      width: accepted.width,
      height: accepted.height,
      fileId,
      thumbnailFileId,
      thumbnailSize: accepted.thumbnail?.length ?? null,
      createdAt: new Date(),
      conversationId: null,
      customerId: null,
      sentAt: null,
    };
    let recorded: Awaited<ReturnType<AttachmentsRepository['insertOnce']>>;
    try {
      recorded = await this.store.insertOnce(doc);
    } catch (error) {
      await this.store.deleteFiles(written).catch(() => undefined);
      throw error;
    }
    // A retry of this upload recorded it first: its files are the ones kept.
    if (!recorded.inserted) await this.store.deleteFiles(written);
    return { attachment: attachmentView(recorded.doc), created: recorded.inserted };
  }

  tooLarge(): ProtocolError {
    return new ProtocolError(
      'too_large',
      `The file is too large: files can be up to ${sizeInWords(this.options.maxBytes)}.`,
    );
  }

  async checkSendable(
    sender: { role: Role; userId: string },
    attachmentId: string,
    clientMsgId: string,
  ): Promise<void> {
    const key = uploaderKey(sender.role, sender.userId);
    await this.ownUpload(key, attachmentId);
    const held = await this.store.sentWith(attachmentId);
    if (held && (held.senderKey !== key || held.clientMsgId !== clientMsgId)) {
      throw alreadySent();
    }
  }

  async bind(
    sender: { role: Role; userId: string },
    attachmentId: string,
    clientMsgId: string,
    conversation: { conversationId: string; customerId: string },
  ): Promise<{ attachment: Attachment; release: () => Promise<void> }> {
    const key = uploaderKey(sender.role, sender.userId);
    const doc = await this.ownUpload(key, attachmentId);
    const claim = await this.store.claimSend(attachmentId, key, clientMsgId);
    if (claim.outcome === 'taken') throw alreadySent();
    if (doc.conversationId === null) {
      await this.store.markSent(attachmentId, { ...conversation, at: new Date() });
    }
    const release =
      claim.outcome === 'claimed'
        ? () => this.store.releaseSend(attachmentId, key, clientMsgId)
        : () => Promise.resolve();
    return { attachment: attachmentView(doc), release };
  }

  /** The sender's own upload; someone else's is refused as if it did not exist. */
  private async ownUpload(key: string, attachmentId: string): Promise<AttachmentDoc> {
    const doc = await this.store.find(attachmentId);
    if (doc?.uploaderKey !== key) {
      throw new ProtocolError('not_found', 'No such attachment: upload the file first.');
    }
    return doc;
  }

  /** The file (or its thumbnail) for `reader`, or null when it may not have it or there is none. */
  async download(
    reader: SessionIdentity,
    id: string,
    part: 'file' | 'thumbnail',
  ): Promise<AttachmentDownload | null> {
    const doc = await this.store.find(id);
    if (!doc || !(await this.mayRead(reader, doc))) return null;
    const fileId = part === 'file' ? doc.fileId : doc.thumbnailFileId;
    const size = part === 'file' ? doc.size : doc.thumbnailSize;
    if (fileId === null || size === null) return null;
    return {
      attachment: attachmentView(doc),
      contentType: part === 'file' ? doc.type : 'image/webp',
      size,
      open: (range) => this.store.openFile(fileId, range),
    };
  }

  private async mayRead(reader: SessionIdentity, doc: AttachmentDoc): Promise<boolean> {
    if (uploaderKey(reader.role, reader.userId) === doc.uploaderKey) return true;
    if (doc.conversationId === null) return false;
    switch (reader.role) {
      case 'supervisor':
        return true;
      case 'customer':
        return doc.customerId === reader.userId;
      case 'agent': {
        const parties = await this.conversations.partiesOf(doc.conversationId);
        if (parties?.agentIds.includes(reader.userId)) return true;
        // Just taken: its record may not be written yet, but Redis has the assignment.
        const live = await this.queue.conversation(doc.conversationId);
        return live.agentId === reader.userId;
      }
    }
  }
}
