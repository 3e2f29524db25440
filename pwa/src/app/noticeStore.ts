import { createStore, type StoreApi } from 'zustand/vanilla';

export interface Notice {
  id: number;
  text: string;
}

export interface NoticeView {
  notices: Notice[];
}

export type NoticeStore = StoreApi<NoticeView>;

export function createNoticeStore(): NoticeStore {
  return createStore<NoticeView>(() => ({ notices: [] }));
}

let nextNoticeId = 1;

/** Shows a message to the customer until dismissed; the same text is not shown twice. */
export function pushNotice(store: NoticeStore, text: string): void {
  store.setState((view) =>
    view.notices.some((notice) => notice.text === text)
      ? view
      : { notices: [...view.notices, { id: nextNoticeId++, text }] },
  );
}

export function dismissNotice(store: NoticeStore, id: number): void {
  store.setState((view) => ({ notices: view.notices.filter((notice) => notice.id !== id) }));
}
