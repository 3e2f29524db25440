// Test harness: real server, private Redis, real MongoDB-compatible storage, real clients.
// Used by the server's tests and by tests/ (multi-process and end-to-end).
export { collectionsOf } from '@callcenter/server/storage';
export * from './testStack';
export * from './testClient';
export type {} from './vitestContext';
export * from './suite';
export * from './invariants';
export { connectSocket, type ConnectOptions } from '../sockets';
