// The typed event maps: what a client may send, with which payload, must not compile otherwise.
// `npm run typecheck` enforces these (an unused @ts-expect-error is an error); Vitest runs them too.
import type { Socket } from 'socket.io-client';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AckBody,
  AgentToServerEvents,
  AckResult,
  ChatMessage,
  ChatStartResult,
  CustomerState,
  CustomerToServerEvents,
  ServerToClientEvents,
} from '@callcenter/shared';
import { chatTakePayloadSchema, customerMessageSendPayloadSchema } from '@callcenter/shared';
import type { EventEntry } from '../src/socket/eventHandlers';

type CustomerSocket = Socket<ServerToClientEvents, CustomerToServerEvents>;
type AgentSocket = Socket<ServerToClientEvents, AgentToServerEvents>;

describe('typed event maps', () => {
  it('a customer socket sends only customer events, with their payloads', () => {
    const send = (socket: CustomerSocket) => {
      socket.emit('message.send', { clientMsgId: 'c1', text: 'hi' }, (result) => {
        expectTypeOf(result).toEqualTypeOf<AckResult<{ message: ChatMessage }>>();
      });
      socket.emit('chat.request', {}, (result) => {
        if (result.ok) expectTypeOf(result.state).toEqualTypeOf<CustomerState>();
      });
      // @ts-expect-error customers cannot take chats
      socket.emit('chat.start', {}, () => undefined);
      // Text, an attachment or both: the schema refuses neither (at run time).
      expectTypeOf<Parameters<CustomerToServerEvents['message.send']>[0]>().toEqualTypeOf<{
        clientMsgId: string;
        text?: string;
        attachmentId?: string;
      }>();
      // @ts-expect-error clientMsgId is required
      socket.emit('message.send', { text: 'hi' }, () => undefined);
    };
    expectTypeOf(send).toBeFunction();
  });

  it('an agent socket sends only agent events, with their payloads', () => {
    const send = (socket: AgentSocket) => {
      socket.emit('chat.take', { requestId: 'r1' }, (result) => {
        if (result.ok) expectTypeOf(result).toExtend<ChatStartResult>();
      });
      // @ts-expect-error agents cannot request chats
      socket.emit('chat.request', {}, () => undefined);
      // @ts-expect-error an agent's End Chat names the conversation
      socket.emit('chat.end', {}, () => undefined);
      // @ts-expect-error an agent message names the customer
      socket.emit('message.send', { clientMsgId: 'a1', text: 'hi' }, () => undefined);
    };
    expectTypeOf(send).toBeFunction();
  });

  it('server events carry their payload types', () => {
    const listen = (socket: AgentSocket) => {
      socket.on('queue.snapshot', (snapshot) => {
        expectTypeOf(snapshot.version).toBeNumber();
      });
      // @ts-expect-error no such server event
      socket.on('queue.updated', () => undefined);
    };
    expectTypeOf(listen).toBeFunction();
  });
});

describe('server handler tables', () => {
  it("an entry answers its event's ack type and parses its event's payload, as the map says", () => {
    expectTypeOf<AckBody<CustomerToServerEvents, 'message.send'>>().toEqualTypeOf<{
      message: ChatMessage;
    }>();
    expectTypeOf<AckBody<AgentToServerEvents, 'chat.take'>>().toEqualTypeOf<ChatStartResult>();

    const answered: EventEntry<CustomerToServerEvents, 'message.send'> = {
      payload: customerMessageSendPayloadSchema,
      session: 'checked-with-the-work',
      weight: 'light',
      // @ts-expect-error the ack of message.send carries `message`, not `messages`
      handle: () => Promise.resolve({ messages: [] }),
    };
    const parsed: EventEntry<AgentToServerEvents, 'chat.end'> = {
      // @ts-expect-error an agent's chat.end payload names the conversation, not a request
      payload: chatTakePayloadSchema,
      session: 'checked-first',
      weight: 'light',
      handle: () => Promise.reject(new Error('not called')),
    };
    expectTypeOf([answered, parsed]).toBeArray();
  });
});
