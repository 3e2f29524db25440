import { createStore, type StoreApi } from 'zustand/vanilla';

export interface NetworkView {
  /** What the browser says (`navigator.onLine`); the socket says whether the server answers. */
  browserOnline: boolean;
}

export type NetworkStore = StoreApi<NetworkView>;

/** Follows the browser's online/offline events; `onBackOnline` runs when the network returns. */
export function createNetworkStore(onBackOnline: () => void): NetworkStore {
  const store = createStore<NetworkView>(() => ({ browserOnline: navigator.onLine }));
  window.addEventListener('online', () => {
    store.setState({ browserOnline: true });
    onBackOnline();
  });
  window.addEventListener('offline', () => {
    store.setState({ browserOnline: false });
  });
  return store;
}
