import type { MessageNumber, MessageSequence } from '../live/messageSequence';
import type { MessagePagesRepository } from '../store/messagePages';
import type { MessagesRepository } from '../store/messages';
import type { MessageDoc } from '../store/documents';

/** Consecutive messages per storage page. */
export const MESSAGE_PAGE_SIZE = 500;
/** Tries at numbering a message while its page is put on record. */
const MAX_NUMBER_ATTEMPTS = 3;
/** Page floors cached per node: 100,000 pages is 50,000,000 messages, a few megabytes. */
const MAX_CACHED_FLOORS = 100_000;

/**
 * Reads of history across customers, a page at a time: the store answers `{ page }` from an
 * index, where a range or sort by sequence would make FerretDB (which pushes neither down)
 * read and sort every stored message.
 *
 * A message's page is handed out with its sequence number, in one Redis script: pages of
 * `size` consecutive messages, so every message in a page is numbered below every message in
 * the next one. A page is put on record in storage before any message is numbered in it, with
 * a floor taken then (below all its messages); when Redis lost its count, numbering starts
 * again one page above the highest on record. The next page is put on record ahead, while the
 * current one is half full, so its floor may lie below the current page's last messages: a
 * read after a cursor starts one page before the last page whose floor the cursor passed.
 */
export class MessagePages {
  /** Floors never change once read (see MessagePagesRepository.record). */
  private readonly floors = new Map<number, number>();
  private readonly opening = new Map<string, Promise<void>>();

  constructor(
    private readonly sequence: MessageSequence,
    private readonly pages: MessagePagesRepository,
    private readonly messages: MessagesRepository,
    /** Messages per page (tests use small pages to cross many boundaries). */
    readonly size = MESSAGE_PAGE_SIZE,
  ) {}

  /**
   * Numbers a message through `allocate` (a Redis script handing out its sequence number and
   * page). When the script says the page must be put on record first, or numbering started
   * again (Redis lost its count), that is done and the script run again, a few times at most.
   * `numberOf` picks the number from the script's answer (null: nothing was to be numbered).
   */
  async number<A>(
    allocate: (pageSize: number) => Promise<A>,
    numberOf: (answer: A) => MessageNumber | null,
  ): Promise<A> {
    for (let attempt = 1; ; attempt += 1) {
      const answer = await allocate(this.size);
      const number = numberOf(answer);
      if (number === null || !('need' in number)) {
        if (number?.preopen != null) this.openAhead(number.preopen);
        return answer;
      }
      if (attempt === MAX_NUMBER_ATTEMPTS)
        throw new Error(`message page ${number.page} not opened`);
      await this.provide(number);
    }
  }

  /**
   * Makes numbering possible again after `number` said what it needs: a page put on record, or
   * (Redis lost its count) numbering started again above every page on record.
   */
  async provide(number: Extract<MessageNumber, { need: string }>): Promise<void> {
    if (number.need === 'open') await this.open(number.page);
    else await this.reseed();
  }

  /** Puts the next page on record ahead of time, so numbering seldom waits for storage. */
  openAhead(page: number): void {
    this.open(page).catch(() => {
      // Storage or Redis away: the first message of that page opens it (and reports failure).
    });
  }

  private open(page: number): Promise<void> {
    return this.once(`open:${page}`, async () => {
      await this.pages.record(page, await this.sequence.pageFloor());
      if (!(await this.sequence.openPage(page))) await this.reseed();
    });
  }

  private reseed(): Promise<void> {
    return this.once('reseed', async () => {
      const page = (await this.pages.highest()) + 1;
      await this.pages.record(page, await this.sequence.pageFloor());
      await this.sequence.reseedPages(page, this.size);
    });
  }

  private once(key: string, work: () => Promise<void>): Promise<void> {
    let running = this.opening.get(key);
    if (!running) {
      running = work().finally(() => this.opening.delete(key));
      this.opening.set(key, running);
    }
    return running;
  }

  /**
   * Up to `limit` messages after `since` across customers, oldest first. Read after the caller
   * took its replay watermark, so every message below it is in a page read here.
   */
  async after(since: number, limit: number): Promise<MessageDoc[]> {
    const newest = await this.newestPage();
    const held: MessageDoc[] = [];
    let page = Math.max(0, (await this.pageOf(since, newest)) - 1);
    for (; page <= newest && held.length < limit; page += 1) {
      held.push(
        ...(await this.messages.listInPage(page, { after: since, limit: limit - held.length })),
      );
    }
    return held.slice(0, limit);
  }

  /**
   * The newest `limit` messages across customers, oldest first; `all` when storage holds no
   * other message.
   */
  async latest(limit: number): Promise<{ messages: MessageDoc[]; all: boolean }> {
    const newestFirst: MessageDoc[] = [];
    let page = await this.newestPage();
    for (; page >= 0 && newestFirst.length < limit; page -= 1) {
      newestFirst.push(
        ...(await this.messages.listInPage(page, {
          limit: limit - newestFirst.length,
          newestFirst: true,
        })),
      );
    }
    const all = page < 0 && newestFirst.length < limit;
    return { messages: newestFirst.slice(0, limit).reverse(), all };
  }

  /** The newest page messages may be numbered in now. */
  private async newestPage(): Promise<number> {
    return (await this.sequence.openPageNow()) ?? (await this.pages.highest());
  }

  /** The last page whose floor is at or below `seq` (0 if none). */
  private async pageOf(seq: number, newest: number): Promise<number> {
    let low = 0;
    let high = newest;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      // A page missing from the record counts as above `seq`: the read starts lower, not later.
      if (((await this.floor(middle)) ?? Number.POSITIVE_INFINITY) <= seq) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private async floor(page: number): Promise<number | null> {
    const cached = this.floors.get(page);
    if (cached !== undefined) return cached;
    const floor = await this.pages.lowestSeq(page);
    if (floor === null) return null;
    // A binary search reads about 20 floors; a full cache starts again rather than grow with
    // the history (one floor per page, forever).
    if (this.floors.size >= MAX_CACHED_FLOORS) this.floors.clear();
    this.floors.set(page, floor);
    return floor;
  }
}
