import { createStore, type StoreApi } from 'zustand/vanilla';

/** Bytes sent of a file on its way, by the client message id of its message. */
export interface UploadState {
  progress: ReadonlyMap<string, { sent: number; total: number }>;
}

export type UploadProgress = StoreApi<UploadState> & {
  report: (clientMsgId: string, sent: number, total: number) => void;
  forget: (clientMsgId: string) => void;
};

/**
 * The uploads in flight, for the pending bubbles' progress bars. Kept in memory only: after a
 * reload an unsent file starts again from nothing (its upload id makes that safe).
 */
export function createUploadProgress(): UploadProgress {
  const store = createStore<UploadState>(() => ({ progress: new Map() }));
  return Object.assign(store, {
    report: (clientMsgId: string, sent: number, total: number) => {
      store.setState(({ progress }) => {
        const next = new Map(progress);
        next.set(clientMsgId, { sent, total });
        return { progress: next };
      });
    },
    forget: (clientMsgId: string) => {
      store.setState(({ progress }) => {
        if (!progress.has(clientMsgId)) return {};
        const next = new Map(progress);
        next.delete(clientMsgId);
        return { progress: next };
      });
    },
  });
}

/** Whole percent sent (0-100) for a progress bar. */
export function uploadPercent(entry: { sent: number; total: number } | undefined): number {
  if (entry === undefined || entry.total <= 0) return 0;
  return Math.min(100, Math.floor((entry.sent / entry.total) * 100));
}
