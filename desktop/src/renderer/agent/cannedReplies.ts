import type { CannedReply, CannedSavePayload, ErrorBody } from '@callcenter/shared';
import { toErrorBody } from '@callcenter/shared/machines';
import { request } from '@callcenter/client';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AgentSocket } from './agentSocket';

export interface CannedRepliesState {
  /** The shared replies, then the agent's own, each by shortcut (as the server lists them). */
  replies: CannedReply[];
  /** `idle`: not asked for in this session yet; the picker asks when it first opens. */
  status: 'idle' | 'loading' | 'ready' | 'failed';
  /** Why the last listing failed. */
  error: ErrorBody | null;
}

const IDLE: CannedRepliesState = { replies: [], status: 'idle', error: null };

/**
 * The agent's canned replies for the console: listed from the server when first wanted, listed
 * again when the server says a set changed (`canned.changed`), forgotten at sign-out.
 */
export class CannedReplies {
  readonly store: StoreApi<CannedRepliesState> = createStore(() => IDLE);
  /** Grows with each listing and reset: an older answer never overwrites a newer one. */
  private generation = 0;

  constructor(private readonly socket: () => AgentSocket) {}

  /** Lists the replies unless they are listed (or being listed) already. */
  ensureLoaded(): void {
    const { status } = this.store.getState();
    if (status === 'idle' || status === 'failed') void this.refresh();
  }

  /** A set changed on the server (another session, an admin): list again if ever listed. */
  changed(): void {
    if (this.store.getState().status !== 'idle') void this.refresh();
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.store.setState({ status: 'loading', error: null });
    try {
      const { replies } = await request(this.socket(), 'canned.list', {});
      if (generation === this.generation) this.store.setState({ replies, status: 'ready' });
    } catch (error) {
      if (generation !== this.generation) return;
      this.store.setState({ status: 'failed', error: toErrorBody(error) });
    }
  }

  /** Creates or updates one of the agent's own; rejects with the server's reason. */
  async save(input: CannedSavePayload): Promise<CannedReply> {
    const { reply } = await request(this.socket(), 'canned.save', input);
    this.store.setState(({ replies }) => ({
      replies: [...replies.filter((r) => r.id !== reply.id), reply].sort(byScopeThenShortcut),
    }));
    return reply;
  }

  async remove(id: string): Promise<void> {
    await request(this.socket(), 'canned.delete', { id });
    this.store.setState(({ replies }) => ({ replies: replies.filter((r) => r.id !== id) }));
  }

  /** Signed out: nothing of the previous session stays. */
  reset(): void {
    this.generation += 1;
    this.store.setState(IDLE);
  }
}

function byScopeThenShortcut(a: CannedReply, b: CannedReply): number {
  if (a.scope !== b.scope) return a.scope === 'shared' ? -1 : 1;
  return a.shortcut < b.shortcut ? -1 : a.shortcut > b.shortcut ? 1 : 0;
}
