import type { SessionSyncPayload, SyncResult } from '@callcenter/shared';

/** One `session.sync` answer of either role (the agent's also carries the queue). */
export type SyncPage = Pick<SyncResult<unknown>, 'messages' | 'cursor' | 'hasMore'>;

export interface SyncPagesOptions<TPage extends SyncPage> {
  /** Asks one page, e.g. `(payload) => request(socket, 'session.sync', payload)`. */
  ask: (payload: SessionSyncPayload) => Promise<TPage>;
  /** The cursor of the last sync; `undefined` (or `null`) asks from the start. */
  since: number | null | undefined;
  /** Takes each page's messages before the next is asked; `false` stops paging (the session changed). */
  onPage: (page: TPage) => boolean | undefined;
}

/**
 * `session.sync` repeated with the cursor of each answer while the server says `hasMore`
 * (it answers at most a page of messages at a time). Resolves with the last page read: its
 * state, and its cursor for the next sync.
 */
export async function syncPages<TPage extends SyncPage>({
  ask,
  since,
  onPage,
}: SyncPagesOptions<TPage>): Promise<TPage> {
  let cursor = since ?? undefined;
  for (;;) {
    const page = await ask(cursor === undefined ? {} : { since: cursor });
    if (onPage(page) === false || !page.hasMore) return page;
    cursor = page.cursor;
  }
}
