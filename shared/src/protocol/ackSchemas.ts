import { z } from 'zod';
import { errorBodySchema } from './errors';
import type {
  AckBody,
  AgentToServerEvents,
  CustomerToServerEvents,
  ServerToClientEvents,
  SupervisorToServerEvents,
} from './events';
import {
  agentStateSchema,
  chatMessageSchema,
  chatStartResultSchema,
  customerStateSchema,
  queueSnapshotSchema,
  sessionRevokedSchema,
  sessionSyncResultSchema,
  queueAlertsSchema,
  teamSnapshotSchema,
} from './schemas';
import { cannedChangedSchema, cannedListResultSchema, cannedReplySchema } from './canned';
import { callAckSchema, callJoinAckSchema, callSignalPushSchema, callStateSchema } from './calls';
import { readCursorSchema, typingPushSchema } from './activity';
import { conversationRatingSchema } from './rating';
import {
  wallboardHistorySchema,
  wallboardSampleSchema,
  wallboardSnapshotSchema,
  watchViewSchema,
} from './supervisor';

// What the server sends, as schemas a client (the test client first) can check it against.
// Each map is checked against its event map: a schema for another shape does not compile.

type AckSchemas<Events> = { [E in keyof Events]: z.ZodType<AckBody<Events, E>> };

const messageAckSchema = z.object({ message: chatMessageSchema });

const callAckSchemas = {
  'call.start': callJoinAckSchema,
  'call.accept': callJoinAckSchema,
  'call.decline': callAckSchema,
  'call.end': callAckSchema,
  'call.signal': z.object({}),
};

/** The body of an `ok` ack of each customer event. */
const readAckSchema = z.object({ read: readCursorSchema });

export const customerAckSchemas = {
  'session.sync': sessionSyncResultSchema.extend({
    state: customerStateSchema,
    call: callStateSchema.nullable(),
    reads: z.array(readCursorSchema),
  }),
  'chat.typing': z.object({}),
  'chat.read': readAckSchema,
  'chat.request': z.object({ state: customerStateSchema }),
  'chat.end': z.object({ state: customerStateSchema }),
  'session.exit': z.object({}),
  'message.send': messageAckSchema,
  'chat.rate': z.object({ rating: conversationRatingSchema }),
  'customer.language': z.object({}),
  ...callAckSchemas,
} satisfies AckSchemas<CustomerToServerEvents>;

/** The body of an `ok` ack of each agent event. */
export const agentAckSchemas = {
  'session.sync': sessionSyncResultSchema.extend({
    state: agentStateSchema,
    call: callStateSchema.nullable(),
    queue: queueSnapshotSchema,
    team: teamSnapshotSchema,
    reads: z.array(readCursorSchema),
    alerts: queueAlertsSchema,
  }),
  'chat.typing': z.object({}),
  'chat.read': readAckSchema,
  'chat.start': chatStartResultSchema,
  'chat.take': chatStartResultSchema,
  'chat.end': z.object({ state: agentStateSchema }),
  'message.send': messageAckSchema,
  'agent.status': z.object({ state: agentStateSchema }),
  'chat.transfer': z.object({ state: agentStateSchema }),
  'canned.list': cannedListResultSchema,
  'canned.save': z.object({ reply: cannedReplySchema }),
  'canned.delete': z.object({}),
  ...callAckSchemas,
} satisfies AckSchemas<AgentToServerEvents>;

/** The body of an `ok` ack of each supervisor event. */
export const supervisorAckSchemas = {
  'wallboard.sync': z.object({
    snapshot: wallboardSnapshotSchema,
    history: wallboardHistorySchema,
  }),
  'supervisor.watch': z.object({ view: watchViewSchema, messages: z.array(chatMessageSchema) }),
  'supervisor.unwatch': z.object({}),
  'supervisor.end': z.object({ view: watchViewSchema }),
  'supervisor.transfer': z.object({ view: watchViewSchema }),
} satisfies AckSchemas<SupervisorToServerEvents>;

/** An `{ ok: false }` ack. */
export const refusalAckSchema = z.object({ ok: z.literal(false), error: errorBodySchema });

/** What each event the server pushes carries. */
export const serverEventSchemas = {
  'queue.snapshot': queueSnapshotSchema,
  'customer.state': customerStateSchema,
  'agent.state': agentStateSchema,
  'team.snapshot': teamSnapshotSchema,
  'chat.typing': typingPushSchema,
  'chat.read': readCursorSchema,
  'message.new': chatMessageSchema,
  'session.revoked': sessionRevokedSchema,
  'call.state': callStateSchema,
  'call.signal': callSignalPushSchema,
  'canned.changed': cannedChangedSchema,
  'wallboard.snapshot': wallboardSnapshotSchema,
  'wallboard.sample': wallboardSampleSchema,
  'watch.update': watchViewSchema,
} satisfies {
  [E in keyof ServerToClientEvents]: z.ZodType<Parameters<ServerToClientEvents[E]>[0]>;
};
