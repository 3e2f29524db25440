// The stored documents and the repositories the dev stack and the bench seed or measure storage
// through, so they write exactly what the product writes. Loads no HTTP or Socket.IO code.
export {
  AccountsRepository,
  type NewAgent,
  type NewCustomer,
  type NewSupervisor,
} from './store/accounts';
export {
  collectionsOf,
  type AgentDoc,
  type Collections,
  type CustomerDoc,
  type MessageDoc,
} from './store/documents';
export { GroupCommit, insertEach } from './store/groupCommit';
export { MessagePagesRepository } from './store/messagePages';
export { createIndexes } from './store/mongo';
export { MESSAGE_PAGE_SIZE } from './services/messagePages';
