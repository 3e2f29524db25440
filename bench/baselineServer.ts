// The baseline: a bare Socket.IO server doing what the product does on the measured paths,
// with the same event names, payloads and message shape, and nothing else: no Redis, no
// storage, no validation, no rate limit. Logins are accepted without a password check, the
// queue is an in-memory array. It shows what Socket.IO itself costs on this machine. Calls are
// the same: their state in a map, pushed to both parties, signals relayed to the other socket.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';

interface Identity {
  role: 'agent' | 'customer';
  id: string;
  name: string;
}

interface QueuedRequest {
  requestId: string;
  customerId: string;
  conversationId: string;
}

type Ack = (result: object) => void;

function decodeToken(token: unknown): Identity | null {
  if (typeof token !== 'string') return null;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      role?: unknown;
    };
    return parsed.role === 'agent' || parsed.role === 'customer' ? (parsed as Identity) : null;
  } catch {
    return null;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      resolve(body);
    });
    request.on('error', reject);
  });
}

async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'POST' && request.url === '/api/auth/login') {
    const { role, login } = JSON.parse(await readBody(request)) as { role: string; login: string };
    const identity: Identity = {
      role: role === 'agent' ? 'agent' : 'customer',
      id: login,
      name: login,
    };
    const token = Buffer.from(JSON.stringify(identity)).toString('base64url');
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ token, user: { id: login, role: identity.role, displayName: login } }),
    );
    return;
  }
  // For the bench's exactly-once check: what is still queued.
  if (request.method === 'GET' && request.url === '/bench/queue') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(queue.map((entry) => entry.conversationId)));
    return;
  }
  // Socket.IO answers its own path; everything else is not found.
  if (!request.url?.startsWith('/socket.io/')) {
    response.writeHead(404);
    response.end();
  }
}

const httpServer = createServer((request, response) => {
  handleHttp(request, response).catch(() => {
    response.writeHead(500);
    response.end();
  });
});
// Socket.IO's defaults, as a bare server would run.
const io = new Server(httpServer);

const queue: QueuedRequest[] = [];
const waiting = new Map<string, QueuedRequest>();
let seq = 0;

interface Parties {
  customerId: string;
  agentId: string;
}

interface BaselineCall extends Parties {
  callId: string;
  conversationId: string;
  state: 'ringing' | 'established' | 'ended';
  direction: 'agent_to_customer' | 'customer_to_agent';
  from: { role: Identity['role']; id: string; displayName: string };
  version: number;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  reason: 'hangup' | null;
  callerSocket: string;
  calleeSocket: string | null;
}

const conversations = new Map<string, Parties>();
const calls = new Map<string, BaselineCall>();
// What the product's acks carry under the bench: no STUN or TURN configured.
const ice = { iceServers: [], iceTransportPolicy: 'all' };

io.use((socket, next) => {
  const identity = decodeToken((socket.handshake.auth as { token?: unknown }).token);
  if (!identity) {
    next(new Error('unauthorized'));
    return;
  }
  (socket.data as { identity?: Identity }).identity = identity;
  next();
});

function onCustomer(socket: Socket, me: Identity): void {
  void socket.join(['customers', `customer:${me.id}`]);
  socket.on('message.send', (payload: { clientMsgId: string; text: string }, ack: Ack) => {
    const message = {
      id: randomUUID(),
      seq: ++seq,
      clientMsgId: payload.clientMsgId,
      conversationId: me.id,
      customerId: me.id,
      sender: { role: 'customer', id: me.id, displayName: me.name },
      text: payload.text,
      priority: 1,
      createdAt: new Date().toISOString(),
    };
    io.to(['agents', `customer:${me.id}`]).emit('message.new', message);
    ack({ ok: true, message });
  });
  socket.on('chat.request', (_payload: unknown, ack: Ack) => {
    let request = waiting.get(me.id);
    if (!request) {
      request = { requestId: randomUUID(), customerId: me.id, conversationId: randomUUID() };
      waiting.set(me.id, request);
      queue.push(request);
    }
    const state = {
      state: 'requestSent',
      requestId: request.requestId,
      conversationId: request.conversationId,
      position: queue.length,
    };
    io.to(`customer:${me.id}`).emit('customer.state', state);
    ack({ ok: true, state });
  });
}

function onAgent(socket: Socket, me: Identity): void {
  void socket.join(['agents', `agent:${me.id}`]);
  socket.on('chat.start', (_payload: unknown, ack: Ack) => {
    const request = queue.shift();
    if (!request) {
      ack({ ok: false, error: { code: 'not_found', message: 'The queue is empty.' } });
      return;
    }
    waiting.delete(request.customerId);
    conversations.set(request.conversationId, { customerId: request.customerId, agentId: me.id });
    const conversation = {
      id: request.conversationId,
      customerId: request.customerId,
      agentId: me.id,
      status: 'active',
      startedAt: new Date().toISOString(),
      endedAt: null,
      endedBy: null,
    };
    const customer = { id: request.customerId, displayName: request.customerId, profile: {} };
    const state = { state: 'inConversation', conversationId: request.conversationId, customer };
    io.to(`customer:${request.customerId}`).emit('customer.state', {
      state: 'inConversation',
      requestId: request.requestId,
      conversationId: request.conversationId,
      agent: { id: me.id, displayName: me.name },
    });
    io.to(`agent:${me.id}`).emit('agent.state', state);
    ack({ ok: true, state, conversation, customer, messages: [] });
  });
  socket.on('chat.end', (payload: { conversationId: string }, ack: Ack) => {
    const state = { state: 'conversationEnded', conversationId: payload.conversationId };
    io.to(`agent:${me.id}`).emit('agent.state', state);
    ack({ ok: true, state });
  });
}

function callView(call: BaselineCall): object {
  return {
    callId: call.callId,
    conversationId: call.conversationId,
    state: call.state,
    direction: call.direction,
    from: call.from,
    version: call.version,
    startedAt: call.startedAt,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt,
    reason: call.reason,
  };
}

function announceCall(call: BaselineCall): object {
  call.version += 1;
  const view = callView(call);
  io.to([`customer:${call.customerId}`, `agent:${call.agentId}`]).emit('call.state', view);
  return view;
}

/** Either party's calls: no checks beyond finding the call, as the rest of this server. */
function onCalls(socket: Socket, me: Identity): void {
  socket.on('call.start', (payload: { conversationId: string }, ack: Ack) => {
    const parties = conversations.get(payload.conversationId);
    if (!parties) {
      ack({ ok: false, error: { code: 'not_found', message: 'No such conversation.' } });
      return;
    }
    const call: BaselineCall = {
      ...parties,
      callId: randomUUID(),
      conversationId: payload.conversationId,
      state: 'ringing',
      direction: me.role === 'agent' ? 'agent_to_customer' : 'customer_to_agent',
      from: { role: me.role, id: me.id, displayName: me.name },
      version: 0,
      startedAt: new Date().toISOString(),
      answeredAt: null,
      endedAt: null,
      reason: null,
      callerSocket: socket.id,
      calleeSocket: null,
    };
    calls.set(call.callId, call);
    ack({ ok: true, call: announceCall(call), ice });
  });
  socket.on('call.accept', (payload: { callId: string }, ack: Ack) => {
    const call = calls.get(payload.callId);
    if (call?.state !== 'ringing') {
      ack({ ok: false, error: { code: 'already_claimed', message: 'Answered or ended.' } });
      return;
    }
    call.state = 'established';
    call.answeredAt = new Date().toISOString();
    call.calleeSocket = socket.id;
    ack({ ok: true, call: announceCall(call), ice });
  });
  socket.on('call.signal', (payload: { callId: string; signal: unknown }, ack: Ack) => {
    const call = calls.get(payload.callId);
    if (call?.state !== 'established') {
      ack({ ok: false, error: { code: 'forbidden', message: 'The call is not connected.' } });
      return;
    }
    const other = socket.id === call.callerSocket ? call.calleeSocket : call.callerSocket;
    if (other !== null) io.to(other).emit('call.signal', payload);
    ack({ ok: true });
  });
  socket.on('call.end', (payload: { callId: string }, ack: Ack) => {
    const call = calls.get(payload.callId);
    if (!call) {
      ack({ ok: false, error: { code: 'not_found', message: 'No such call.' } });
      return;
    }
    if (call.state === 'ended') {
      ack({ ok: true, call: callView(call) });
      return;
    }
    call.state = 'ended';
    call.endedAt = new Date().toISOString();
    call.reason = 'hangup';
    calls.delete(call.callId);
    ack({ ok: true, call: announceCall(call) });
  });
}

io.on('connection', (socket) => {
  const me = (socket.data as { identity: Identity }).identity;
  if (me.role === 'customer') onCustomer(socket, me);
  else onAgent(socket, me);
  onCalls(socket, me);
});

httpServer.listen(0, '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ msg: 'baseline listening', port })}\n`);
});
process.once('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
