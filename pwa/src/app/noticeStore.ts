import { createStore, type StoreApi } from 'zustand/vanilla';

/** Words looked up in the app's language when shown (so a language switch changes them too). */
export interface LocalText {
  key: string;
  values?: Record<string, unknown>;
}

export interface Notice {
  id: number;
  /** Words as they are (already translated), or a locale key. */
  text: string | LocalText;
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
export function pushNotice(store: NoticeStore, text: string | LocalText): void {
  const same = JSON.stringify(text);
  store.setState((view) =>
    view.notices.some((notice) => JSON.stringify(notice.text) === same)
      ? view
      : { notices: [...view.notices, { id: nextNoticeId++, text }] },
  );
}

export function dismissNotice(store: NoticeStore, id: number): void {
  store.setState((view) => ({ notices: view.notices.filter((notice) => notice.id !== id) }));
}
