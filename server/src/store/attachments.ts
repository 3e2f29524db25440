import { once } from 'node:events';
import type { Readable } from 'node:stream';
import {
  GridFSBucket,
  type Collection,
  type Db,
  type GridFSChunk,
  type GridFSFile,
  type ObjectId,
} from 'mongodb';
import type { AttachmentType } from '@callcenter/shared';
import { isDuplicateKeyError } from './mongo';

/**
 * An uploaded file: the upload's record; its file and a picture's thumbnail are in the GridFS
 * bucket `attachments`. Unsent (`conversationId` null), only its uploader may read it.
 */
export interface AttachmentDoc {
  _id: string;
  /** `${role}:${id}` of the uploader; with `uploadId` the idempotency key of an upload. */
  uploaderKey: string;
  uploadId: string;
  /** The uploader's file name, made safe (see safeAttachmentName). */
  name: string;
  /** Read from the content. */
  type: AttachmentType;
  /** Bytes of the stored file. */
  size: number;
  width: number | null;
  height: number | null;
  fileId: ObjectId;
  thumbnailFileId: ObjectId | null;
  thumbnailSize: number | null;
  createdAt: Date;
  /** Set once sent: the conversation it went into and that conversation's customer. */
  conversationId: string | null;
  customerId: string | null;
  sentAt: Date | null;
}

/**
 * The one message an attachment was sent with (`_id` is the attachment's): the unique `_id`
 * makes a second send of the same file fail, whatever the store does with concurrent updates
 * (FerretDB v1 rewrites a whole document on update, so a conditional update is no guard).
 */
export interface AttachmentSendDoc {
  _id: string;
  senderKey: string;
  clientMsgId: string;
  at: Date;
}

/** The GridFS bucket holding attachments' files and thumbnails. */
export const ATTACHMENT_BUCKET = 'attachments';

interface AttachmentCollections {
  attachments: Collection<AttachmentDoc>;
  attachmentSends: Collection<AttachmentSendDoc>;
  /** The bucket's own collections (removed together with their records). */
  files: Collection<GridFSFile>;
  chunks: Collection<GridFSChunk>;
}

/** Attachments removed per round. */
const ATTACHMENT_REMOVAL_BATCH = 500;

/** What claiming an attachment for a message found. */
export type SendClaim =
  /** This message is the one it goes with now (first time, or a retry of the same message). */
  | { outcome: 'claimed' | 'again' }
  /** Already sent with another message. */
  | { outcome: 'taken' };

/**
 * Attachments in storage: the upload records (`attachments`), the one message each went with
 * (`attachmentSends`), and the files and thumbnails in the GridFS bucket `attachments`, which
 * works the same on MongoDB and FerretDB.
 */
export class AttachmentsRepository {
  private readonly bucket: GridFSBucket;
  private readonly collections: AttachmentCollections;

  constructor(db: Db) {
    this.bucket = new GridFSBucket(db, { bucketName: ATTACHMENT_BUCKET });
    this.collections = {
      attachments: db.collection<AttachmentDoc>('attachments'),
      attachmentSends: db.collection<AttachmentSendDoc>('attachmentSends'),
      files: db.collection<GridFSFile>(`${ATTACHMENT_BUCKET}.files`),
      chunks: db.collection<GridFSChunk>(`${ATTACHMENT_BUCKET}.chunks`),
    };
  }

  /** The indexes its queries rely on (idempotent; at start-up). */
  async createIndexes(): Promise<void> {
    const { attachments, files, chunks } = this.collections;
    await Promise.all([
      // An upload is recorded once per uploader and upload id (the client's retries).
      attachments.createIndex(
        { uploaderKey: 1, uploadId: 1 },
        { unique: true, name: 'uploader_uploadId_unique' },
        undefined,
      ),
      // Retention finds a conversation's attachments, and unsent ones by age.
      attachments.createIndex({ conversationId: 1, createdAt: 1 }),
      // The bucket's indexes, as the driver would make them on its first write.
      files.createIndex({ filename: 1, uploadDate: 1 }),
      chunks.createIndex(
        { files_id: 1, n: 1 },
        { unique: true, name: 'files_id_1_n_1' },
        undefined,
      ),
    ]);
  }

  find(id: string): Promise<AttachmentDoc | null> {
    return this.collections.attachments.findOne({ _id: id });
  }

  findByUpload(uploaderKey: string, uploadId: string): Promise<AttachmentDoc | null> {
    return this.collections.attachments.findOne({ uploaderKey, uploadId });
  }

  /** Writes one file into the bucket; answers its id. */
  async writeFile(content: Buffer, filename: string, contentType: string): Promise<ObjectId> {
    const upload = this.bucket.openUploadStream(filename, { metadata: { contentType } });
    const finished = once(upload, 'finish');
    upload.end(content);
    await finished;
    return upload.id;
  }

  /** Removes files from the bucket (a file already gone is no error). */
  async deleteFiles(ids: readonly ObjectId[]): Promise<void> {
    if (ids.length === 0) return;
    await this.collections.chunks.deleteMany({ files_id: { $in: [...ids] } });
    await this.collections.files.deleteMany({ _id: { $in: [...ids] } });
  }

  /** A stored file's bytes, or (`range`, inclusive) some of them. */
  openFile(id: ObjectId, range?: { start: number; end: number }): Readable {
    return this.bucket.openDownloadStream(id, range && { start: range.start, end: range.end + 1 });
  }

  /**
   * Records an upload. When the same uploader already recorded this uploadId (a retry racing
   * the first attempt), answers the recorded one instead and records nothing.
   */
  async insertOnce(doc: AttachmentDoc): Promise<{ inserted: boolean; doc: AttachmentDoc }> {
    try {
      await this.collections.attachments.insertOne(doc);
      return { inserted: true, doc };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.findByUpload(doc.uploaderKey, doc.uploadId);
      if (!existing) throw error;
      return { inserted: false, doc: existing };
    }
  }

  /**
   * Claims the attachment for one message (`senderKey`, `clientMsgId`): the first claim wins;
   * the same message claiming again (a retried send) is told `again`.
   */
  async claimSend(id: string, senderKey: string, clientMsgId: string): Promise<SendClaim> {
    const claim: AttachmentSendDoc = { _id: id, senderKey, clientMsgId, at: new Date() };
    try {
      await this.collections.attachmentSends.insertOne(claim);
      return { outcome: 'claimed' };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const held = await this.collections.attachmentSends.findOne({ _id: id });
    if (held?.senderKey === senderKey && held.clientMsgId === clientMsgId) {
      return { outcome: 'again' };
    }
    return { outcome: 'taken' };
  }

  /** The message an attachment was claimed for, if any. */
  sentWith(id: string): Promise<AttachmentSendDoc | null> {
    return this.collections.attachmentSends.findOne({ _id: id });
  }

  /** Gives up a claim whose message could not be stored, so the file may be sent again. */
  async releaseSend(id: string, senderKey: string, clientMsgId: string): Promise<void> {
    await this.collections.attachmentSends.deleteOne({ _id: id, senderKey, clientMsgId });
  }

  /** Marks a claimed attachment sent into a conversation (once: a later call changes nothing). */
  async markSent(
    id: string,
    sent: { conversationId: string; customerId: string; at: Date },
  ): Promise<void> {
    await this.collections.attachments.updateOne(
      { _id: id, conversationId: null },
      {
        $set: { conversationId: sent.conversationId, customerId: sent.customerId, sentAt: sent.at },
      },
    );
  }

  /** Uploads never sent, recorded before `cutoff`, with their files. Answers how many. */
  async removeUnsentBefore(cutoff: Date): Promise<number> {
    let removed = 0;
    for (;;) {
      const docs = await this.collections.attachments
        .find({ conversationId: null, createdAt: { $lt: cutoff } })
        .limit(ATTACHMENT_REMOVAL_BATCH)
        .toArray();
      if (docs.length === 0) return removed;
      removed += await this.remove(docs);
    }
  }

  /** Removes the attachments sent into these conversations, with their files. Answers how many. */
  async removeOfConversations(conversationIds: readonly string[]): Promise<number> {
    if (conversationIds.length === 0) return 0;
    let removed = 0;
    for (;;) {
      const docs = await this.collections.attachments
        .find({ conversationId: { $in: [...conversationIds] } })
        .limit(ATTACHMENT_REMOVAL_BATCH)
        .toArray();
      if (docs.length === 0) return removed;
      removed += await this.remove(docs);
    }
  }

  /**
   * Files first, then the records: a removal cut short leaves a record whose files are gone
   * (found and finished by the next run), never a file nothing points to.
   */
  private async remove(docs: readonly AttachmentDoc[]): Promise<number> {
    const fileIds = docs.flatMap((doc) =>
      doc.thumbnailFileId === null ? [doc.fileId] : [doc.fileId, doc.thumbnailFileId],
    );
    const ids = docs.map((doc) => doc._id);
    await this.deleteFiles(fileIds);
    await this.collections.attachmentSends.deleteMany({ _id: { $in: ids } });
    const result = await this.collections.attachments.deleteMany({ _id: { $in: ids } });
    return result.deletedCount;
  }
}
