// The call scenario's load generator: agent and customer pairs in active conversations, each
// pair's two sockets in this one process (so both parties' arrival times are on one clock).
// The customers place the calls, the agents accept, and then each call's two devices exchange
// their WebRTC signalling as browsers do, with SDP and ICE candidates shaped like theirs. Every
// Socket.IO packet on each socket is counted and sized as it goes over the WebSocket.
import type { CallSignalPush, CallState } from '@callcenter/shared';
import { ask, type AnyRoleEvents, type ClientSocket } from '@callcenter/client';
import { connectSocket } from '@callcenter/devstack/sockets';
import { signalKey, signalsOf, type Side } from './callSignals';
import { login } from './historyClient';
import type { BenchAccount } from './loadgen';
import { serve } from './lib/ipc';
import { preciseNow } from './lib/stats';
import { count, delay, pool } from './lib/work';

type Socket = ClientSocket<AnyRoleEvents>;

const ACK_TIMEOUT_MS = 30_000;

/** Socket.IO packets on one side of the calls, summed over the calls of a round. */
export interface Traffic {
  /** Packets about the side's own call (its events and their acks, pushes naming its call). */
  sent: number;
  received: number;
  sentBytes: number;
  receivedBytes: number;
  /** Own packets by direction and event (`out call.signal`, `in ack`, ...). */
  byEvent: Record<string, number>;
  /** Packets about other conversations (an agent hears every conversation's messages). */
  otherReceived: number;
  otherReceivedBytes: number;
  otherByEvent: Record<string, number>;
}

export interface PlaceResult {
  /** From `call.start` until the callee's device rang (its `call.state` ringing), ms. */
  ring: number[];
  failures: Record<string, number>;
}

export interface AnswerResult {
  /** From `call.accept` until the `call.state` established reached the callee (the agent), ms. */
  callee: number[];
  /** ... reached the caller (the customer), ms. */
  caller: number[];
  /** ... reached both, ms. */
  both: number[];
  /** The `call.accept` ack round trip, ms. */
  acceptAck: number[];
  /** One per signal: from its `call.signal` emit until the other device received it, ms. */
  relay: number[];
  failures: Record<string, number>;
}

export interface HangUpResult {
  caller: Traffic;
  callee: Traffic;
  /** Own packets (both sides) of each call of the round: the per-call message count. */
  perCall: number[];
  failures: Record<string, number>;
}

export interface CallLoadgenApi {
  /**
   * Logs in and connects the agents and customers, every customer asks for a chat, and the
   * agents take them: pairs in an active conversation. The queue must hold only these requests.
   */
  pairUp(arg: { url: string; agents: BenchAccount[]; customers: BenchAccount[] }): Promise<number>;
  /** Every customer places a call at once; resolves once each call rang at its agent. */
  placeCalls(arg: { timeoutMs: number }): Promise<PlaceResult>;
  /**
   * Every agent accepts at once. Each call's caller offers once it hears `established`, with
   * `candidates` ICE candidates and the end-of-candidates; the callee answers the offer, with as
   * many. Resolves once every signal was received and acknowledged.
   */
  answerCalls(arg: { candidates: number; timeoutMs: number }): Promise<AnswerResult>;
  /**
   * Every caller hangs up; resolves once both parties heard `ended` and no packet came for
   * `quietMs` (the history's pushes come after), with the round's packet counts.
   */
  hangUp(arg: { quietMs: number; timeoutMs: number }): Promise<HangUpResult>;
  disconnect(arg: null): Promise<number>;
}

function emptyTraffic(): Traffic {
  return {
    sent: 0,
    received: 0,
    sentBytes: 0,
    receivedBytes: 0,
    byEvent: {},
    otherReceived: 0,
    otherReceivedBytes: 0,
    otherByEvent: {},
  };
}

function addTraffic(into: Traffic, from: Traffic): void {
  into.sent += from.sent;
  into.received += from.received;
  into.sentBytes += from.sentBytes;
  into.receivedBytes += from.receivedBytes;
  into.otherReceived += from.otherReceived;
  into.otherReceivedBytes += from.otherReceivedBytes;
  for (const [key, value] of Object.entries(from.byEvent)) {
    into.byEvent[key] = (into.byEvent[key] ?? 0) + value;
  }
  for (const [key, value] of Object.entries(from.otherByEvent)) {
    into.otherByEvent[key] = (into.otherByEvent[key] ?? 0) + value;
  }
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** One call of a round, as its pair sees it. */
interface CallRound {
  callId: string;
  acceptedAt: number;
  established: Record<Side, number | null>;
  /** Signals sent, by content (each is unique), with when. */
  sentAt: Map<string, number>;
  received: Record<Side, number>;
  acked: number;
  exchanged: Deferred;
  ended: Record<Side, boolean>;
  hungUp: Deferred;
}

interface Pair {
  conversationId: string;
  /** The customer: it places the calls and hangs up. */
  caller: Socket;
  /** The agent: it accepts. */
  callee: Socket;
  traffic: Record<Side, Traffic>;
  round: CallRound | null;
}

let pairs: Pair[] = [];
let signalsPerSide = 0;
let candidatesPerSide = 0;
let lastPacketAt = 0;
let result: AnswerResult = emptyAnswer();

function emptyAnswer(): AnswerResult {
  return { callee: [], caller: [], both: [], acceptAck: [], relay: [], failures: {} };
}

// ---- Packet counting, at the Engine.IO level: every event and every ack, with its size ----

/** Socket.IO's packet text: type digit, ack id digits, then the JSON array or ack body. */
function parsePacket(data: string): { label: string; body: unknown } {
  const type = data[0];
  const json = data.slice(1).replace(/^\d+/, '');
  if (type === '3') return { label: 'ack', body: null };
  if (type !== '2') return { label: `packet ${type ?? '?'}`, body: null };
  try {
    const [event, body] = JSON.parse(json) as [string, unknown];
    return { label: event, body };
  } catch {
    return { label: 'unparsed', body: null };
  }
}

function isAbout(pair: Pair, body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const fields = body as { callId?: unknown; conversationId?: unknown };
  return (
    fields.conversationId === pair.conversationId ||
    (pair.round !== null && fields.callId === pair.round.callId)
  );
}

function countPackets(pair: Pair, side: Side, socket: Socket): void {
  const engine = socket.io.engine;
  engine.on('packetCreate', (packet: { type: string; data?: unknown }) => {
    if (packet.type !== 'message' || typeof packet.data !== 'string') return;
    const traffic = pair.traffic[side];
    // Every packet this device sends is about its own call here; +1: Engine.IO's type byte.
    traffic.sent += 1;
    traffic.sentBytes += Buffer.byteLength(packet.data) + 1;
    count(traffic.byEvent, `out ${parsePacket(packet.data).label}`);
  });
  engine.on('packet', (packet: { type: string; data?: unknown }) => {
    if (packet.type !== 'message' || typeof packet.data !== 'string') return;
    lastPacketAt = preciseNow();
    const traffic = pair.traffic[side];
    const { label, body } = parsePacket(packet.data);
    const bytes = Buffer.byteLength(packet.data) + 1;
    if (label === 'ack' || isAbout(pair, body)) {
      traffic.received += 1;
      traffic.receivedBytes += bytes;
      count(traffic.byEvent, `in ${label}`);
    } else {
      traffic.otherReceived += 1;
      traffic.otherReceivedBytes += bytes;
      count(traffic.otherByEvent, `in ${label}`);
    }
  });
}

// ---- The devices ----

function sendSignals(pair: Pair, side: Side, index: number): void {
  const round = pair.round;
  if (!round) return;
  const socket = side === 'caller' ? pair.caller : pair.callee;
  for (const signal of signalsOf(side, index, candidatesPerSide)) {
    round.sentAt.set(signalKey(side, signal), preciseNow());
    ask(socket, 'call.signal', { callId: round.callId, signal }, ACK_TIMEOUT_MS).then(
      (answer) => {
        if (!answer.ok) count(result.failures, `signal:${answer.error.code}`);
        round.acked += 1;
        exchangedIfDone(round);
      },
      () => {
        count(result.failures, 'signal:timeout');
      },
    );
  }
}

function exchangedIfDone(round: CallRound): void {
  if (
    round.acked === 2 * signalsPerSide &&
    round.received.caller === signalsPerSide &&
    round.received.callee === signalsPerSide
  ) {
    round.exchanged.resolve();
  }
}

function listen(pair: Pair, index: number): void {
  for (const side of ['caller', 'callee'] as const) {
    const socket = side === 'caller' ? pair.caller : pair.callee;
    socket.on('call.state', (call: CallState) => {
      const at = preciseNow();
      const round = pair.round;
      if (!round || call.callId !== round.callId) return;
      if (call.state === 'established' && round.established[side] === null) {
        round.established[side] = at;
        // The caller offers once the call is established (docs/protocol.md 5.10).
        if (side === 'caller') sendSignals(pair, 'caller', index);
      }
      if (call.state === 'ended') {
        round.ended[side] = true;
        if (round.ended.caller && round.ended.callee) round.hungUp.resolve();
      }
    });
    socket.on('call.signal', (push: CallSignalPush) => {
      const at = preciseNow();
      const round = pair.round;
      if (!round || push.callId !== round.callId) return;
      const from: Side = side === 'caller' ? 'callee' : 'caller';
      const sentAt = round.sentAt.get(signalKey(from, push.signal));
      if (sentAt === undefined) count(result.failures, 'signal:unknown');
      else result.relay.push(at - sentAt);
      round.received[side] += 1;
      // The callee answers the offer, then trickles its own candidates.
      if (side === 'callee' && push.signal.kind === 'description') {
        sendSignals(pair, 'callee', index);
      }
      exchangedIfDone(round);
    });
  }
}

function newRound(callId: string): CallRound {
  return {
    callId,
    acceptedAt: 0,
    established: { caller: null, callee: null },
    sentAt: new Map(),
    received: { caller: 0, callee: 0 },
    acked: 0,
    exchanged: deferred(),
    ended: { caller: false, callee: false },
    hungUp: deferred(),
  };
}

/** Waits for every promise, or `timeoutMs`; counts the ones that did not settle in time. */
async function allWithin(
  promises: Promise<void>[],
  timeoutMs: number,
  failures: Record<string, number>,
  what: string,
): Promise<void> {
  let settled = 0;
  await Promise.race([
    Promise.all(promises.map((promise) => promise.then(() => (settled += 1)))),
    delay(timeoutMs),
  ]);
  if (settled < promises.length) failures[`timeout:${what}`] = promises.length - settled;
}

serve<CallLoadgenApi>(
  {
    async pairUp({ url, agents, customers }) {
      if (agents.length !== customers.length) throw new Error('one agent per customer');
      const connect = async (accounts: BenchAccount[]): Promise<Socket[]> => {
        const sockets: Socket[] = new Array<Socket>(accounts.length);
        await pool(accounts, 16, async (account, i) => {
          sockets[i] = await connectSocket<AnyRoleEvents>(url, await login(url, account), {
            timeoutMs: 60_000,
          });
        });
        return sockets;
      };
      const callers = await connect(customers);
      const callees = await connect(agents);
      const byConversation = new Map<string, Socket>();
      for (const socket of callers) {
        const answer = await ask(socket, 'chat.request', {}, ACK_TIMEOUT_MS);
        if (!answer.ok || !answer.state.conversationId) {
          throw new Error(`chat.request: ${answer.ok ? 'no conversation' : answer.error.code}`);
        }
        byConversation.set(answer.state.conversationId, socket);
      }
      const paired: Pair[] = [];
      for (const callee of callees) {
        const answer = await ask(callee, 'chat.start', {}, ACK_TIMEOUT_MS);
        if (!answer.ok) throw new Error(`chat.start: ${answer.error.code}`);
        const caller = byConversation.get(answer.conversation.id);
        if (!caller) throw new Error(`chat.start took another process's customer`);
        paired.push({
          conversationId: answer.conversation.id,
          caller,
          callee,
          traffic: { caller: emptyTraffic(), callee: emptyTraffic() },
          round: null,
        });
      }
      for (const [index, pair] of paired.entries()) {
        listen(pair, pairs.length + index);
        countPackets(pair, 'caller', pair.caller);
        countPackets(pair, 'callee', pair.callee);
      }
      pairs.push(...paired);
      return paired.length;
    },

    async placeCalls({ timeoutMs }) {
      const placed: PlaceResult = { ring: [], failures: {} };
      const rang: Promise<void>[] = [];
      await Promise.all(
        pairs.map(async (pair) => {
          pair.traffic = { caller: emptyTraffic(), callee: emptyTraffic() };
          pair.round = null;
          const startedAt = preciseNow();
          // The ringing push can come before the ack: it is matched by conversation until then.
          const early = deferred();
          const onRing = (call: CallState): void => {
            if (call.conversationId === pair.conversationId && call.state === 'ringing') {
              placed.ring.push(preciseNow() - startedAt);
              early.resolve();
            }
          };
          pair.callee.on('call.state', onRing);
          rang.push(early.promise.then(() => void pair.callee.off('call.state', onRing)));
          const answer = await ask(
            pair.caller,
            'call.start',
            { conversationId: pair.conversationId },
            ACK_TIMEOUT_MS,
          ).catch(() => null);
          if (!answer?.ok) {
            count(placed.failures, answer ? answer.error.code : 'timeout');
            early.resolve();
            return;
          }
          pair.round = newRound(answer.call.callId);
        }),
      );
      await allWithin(rang, timeoutMs, placed.failures, 'ringing');
      return placed;
    },

    async answerCalls({ candidates: howMany, timeoutMs }) {
      result = emptyAnswer();
      candidatesPerSide = howMany;
      // A description, the candidates, and the end-of-candidates.
      signalsPerSide = 1 + howMany + 1;
      const live = pairs.filter((pair) => pair.round !== null);
      const acks = live.map(async (pair) => {
        const round = pair.round as CallRound;
        round.acceptedAt = preciseNow();
        const answer = await ask(
          pair.callee,
          'call.accept',
          { callId: round.callId },
          ACK_TIMEOUT_MS,
        ).catch(() => null);
        if (!answer?.ok) count(result.failures, `accept:${answer ? answer.error.code : 'timeout'}`);
        else result.acceptAck.push(preciseNow() - round.acceptedAt);
      });
      await allWithin(
        live.map((pair) => (pair.round as CallRound).exchanged.promise),
        timeoutMs,
        result.failures,
        'signalling',
      );
      await Promise.all(acks);
      for (const pair of live) {
        const { acceptedAt, established } = pair.round as CallRound;
        if (established.caller === null || established.callee === null) continue;
        result.caller.push(established.caller - acceptedAt);
        result.callee.push(established.callee - acceptedAt);
        result.both.push(Math.max(established.caller, established.callee) - acceptedAt);
      }
      return result;
    },

    async hangUp({ quietMs, timeoutMs }) {
      const failures: Record<string, number> = {};
      const live = pairs.filter((pair) => pair.round !== null);
      await Promise.all(
        live.map(async (pair) => {
          const round = pair.round as CallRound;
          const answer = await ask(
            pair.caller,
            'call.end',
            { callId: round.callId },
            ACK_TIMEOUT_MS,
          ).catch(() => null);
          if (!answer?.ok) count(failures, `end:${answer ? answer.error.code : 'timeout'}`);
        }),
      );
      await allWithin(
        live.map((pair) => (pair.round as CallRound).hungUp.promise),
        timeoutMs,
        failures,
        'ended',
      );
      const deadline = preciseNow() + timeoutMs;
      while (preciseNow() - lastPacketAt < quietMs && preciseNow() < deadline) {
        await delay(quietMs / 4);
      }
      const caller = emptyTraffic();
      const callee = emptyTraffic();
      const perCall: number[] = [];
      for (const pair of live) {
        addTraffic(caller, pair.traffic.caller);
        addTraffic(callee, pair.traffic.callee);
        const { caller: c, callee: a } = pair.traffic;
        perCall.push(c.sent + c.received + a.sent + a.received);
      }
      return { caller, callee, perCall, failures };
    },

    disconnect() {
      for (const pair of pairs) {
        pair.caller.close();
        pair.callee.close();
      }
      const closed = pairs.length;
      pairs = [];
      return Promise.resolve(closed);
    },
  },
  { keepAlive: true },
);
