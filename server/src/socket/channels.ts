/** Names shared by the server nodes and the admin tool, in one place. */

/** The Redis key prefix of the Socket.IO adapter (nodes) and emitter (admin tool). */
export const SOCKET_IO_KEY = 'cc:socket.io';

/** Signals between server nodes, sent with `serverSideEmit`. */
export const QUEUE_CHANGED = 'queue.changed';
/** An agent's status or load changed. */
export const TEAM_CHANGED = 'team.changed';
/** A node is joining: the others answer once they publish their broadcasts for it. */
export const NODE_JOINED = 'node.joined';
/** A customer's account was changed by an admin: drop the cached profile. */
export const PROFILE_CHANGED = 'customer.profileChanged';
/** An agent's account was changed by an admin (capacity, name): nodes refresh its live state. */
export const AGENT_CHANGED = 'agent.accountChanged';
/** An admin changed the shared canned replies: nodes tell their agents (`canned.changed`). */
export const CANNED_CHANGED = 'canned.sharedChanged';
/** The day's figures changed (a rating): nodes send their supervisors a new wallboard. */
export const WALLBOARD_CHANGED = 'wallboard.changed';
