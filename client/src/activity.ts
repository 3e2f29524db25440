import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  TYPING_REPEAT_MS,
  TYPING_SHOWN_MS,
  type ChatMessage,
  type ReadCursor,
  type Role,
  type TypingPush,
} from '@callcenter/shared';

/** What a user sees of the other party's activity, per conversation. */
export interface ActivityView {
  /** Conversations in which the other party is typing now. */
  typing: ReadonlySet<string>;
  /** How far each side has read each conversation. */
  reads: ReadonlyMap<string, Readonly<Partial<Record<Role, ReadCursor>>>>;
}

/**
 * The other party's typing and both sides' read cursors, as pushes and syncs tell them. A
 * "typing" lasts until the party says it stopped, writes, or `TYPING_SHOWN_MS` pass without a
 * word (a lost "stopped" never leaves it stuck). Read cursors only move forward.
 */
export class ConversationActivity {
  readonly store: StoreApi<ActivityView> = createStore<ActivityView>(() => ({
    typing: new Set(),
    reads: new Map(),
  }));
  private readonly expiries = new Map<string, ReturnType<typeof setTimeout>>();

  /** `viewer`: whose app this is; its own typing, heard from its other devices, is not shown. */
  constructor(private readonly viewer: Role) {}

  heardTyping(push: TypingPush): void {
    if (push.role === this.viewer) return;
    this.setTyping(push.conversationId, push.typing);
  }

  /** A message from the other party ends its typing. */
  heardMessage(message: ChatMessage): void {
    if (message.sender.role !== this.viewer && message.call === undefined) {
      this.setTyping(message.conversationId, false);
    }
  }

  heardReads(cursors: readonly ReadCursor[]): void {
    if (cursors.length === 0) return;
    this.store.setState((view) => {
      let reads: Map<string, Partial<Record<Role, ReadCursor>>> | null = null;
      for (const cursor of cursors) {
        const held = (reads ?? view.reads).get(cursor.conversationId) ?? {};
        if ((held[cursor.role]?.seq ?? 0) >= cursor.seq) continue;
        reads ??= new Map(view.reads);
        reads.set(cursor.conversationId, { ...held, [cursor.role]: cursor });
      }
      return reads === null ? {} : { reads };
    });
  }

  /** Signed out: nothing of the previous session stays. */
  reset(): void {
    for (const timer of this.expiries.values()) clearTimeout(timer);
    this.expiries.clear();
    this.store.setState({ typing: new Set(), reads: new Map() });
  }

  private setTyping(conversationId: string, typing: boolean): void {
    clearTimeout(this.expiries.get(conversationId));
    this.expiries.delete(conversationId);
    if (typing) {
      this.expiries.set(
        conversationId,
        setTimeout(() => {
          this.expiries.delete(conversationId);
          this.setTyping(conversationId, false);
        }, TYPING_SHOWN_MS),
      );
    }
    const shown = this.store.getState().typing.has(conversationId);
    if (shown === typing) return;
    this.store.setState((view) => {
      const next = new Set(view.typing);
      if (typing) next.add(conversationId);
      else next.delete(conversationId);
      return { typing: next };
    });
  }
}

/** Typing stops counting after this long without a keystroke. */
export const TYPING_IDLE_MS = 4_000;

/**
 * Reports this user's typing in one conversation, throttled: `true` at once and then at most
 * every `TYPING_REPEAT_MS` while the text changes, `false` when it is emptied, sent, left
 * (`stop`), or after `TYPING_IDLE_MS` without a change. Sending is best effort.
 */
export class TypingReporter {
  private active = false;
  private lastSentAt = 0;
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly send: (typing: boolean) => void) {}

  changed(text: string): void {
    if (text.trim() === '') {
      this.stop();
      return;
    }
    const now = Date.now();
    if (!this.active || now - this.lastSentAt >= TYPING_REPEAT_MS) {
      this.active = true;
      this.lastSentAt = now;
      this.send(true);
    }
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.stop();
    }, TYPING_IDLE_MS);
  }

  stop(): void {
    clearTimeout(this.idle);
    this.idle = undefined;
    if (!this.active) return;
    this.active = false;
    this.send(false);
  }
}

/**
 * Reports how far this user has read, never backwards: the newest sequence on screen, a moment
 * after it was shown (scrolling through a burst sends one report).
 */
export class ReadReporter {
  private reported = 0;
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (seq: number) => Promise<unknown>,
    private readonly delayMs = 400,
  ) {}

  /** `seq`: the newest message of the other party that is on screen now. */
  shown(seq: number): void {
    if (seq <= Math.max(this.reported, this.pending)) return;
    this.pending = seq;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const next = this.pending;
      this.pending = 0;
      if (next <= this.reported) return;
      const before = this.reported;
      this.reported = next;
      // Not stored (offline): the next `shown` tries again.
      this.send(next).catch(() => {
        if (this.reported === next) this.reported = before;
      });
    }, this.delayMs);
  }

  /** A read cursor the server already holds (a sync, another device): no need to report it. */
  known(seq: number): void {
    this.reported = Math.max(this.reported, seq);
  }

  reset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.reported = 0;
    this.pending = 0;
  }
}
