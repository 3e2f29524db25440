// Voice calls: how long a call takes to set up when many are set up at once, how many Socket.IO
// messages one call costs its two devices, and how fast the server relays their signalling.
// Agent and customer pairs, each in an active conversation; in every round all the customers
// place a call at once, then all the agents accept at once, each call's devices exchange an SDP
// offer and answer and their ICE candidates, and the customers hang up. The same rounds run on
// the bare Socket.IO baseline (bench/baselineServer.ts), in the same run, for the ratios.
import { signalsOf } from './callSignals';
import type { AnswerResult, CallLoadgenApi, HangUpResult, Traffic } from './callLoadgen';
import { ChildProcessHandle } from './lib/ipc';
import { repoRoot } from './lib/stack';
import { round, summarize, type LatencySummary } from './lib/stats';
import type { TargetCheck } from './lib/targets';
import { delay } from './lib/work';
import type { Log, Target } from './scenarios';

export interface CallsSizes {
  /** Agent and customer pairs: calls set up at once in each round. */
  calls: number;
  callRounds: number;
}

/** ICE candidates each device trickles (host, server-reflexive, relayed, TCP), then `null`. */
const CANDIDATES = 4;
/** A description, the candidates, and the end-of-candidates. */
const SIGNALS_PER_SIDE = 1 + CANDIDATES + 1;
const LOADGENS = 2;
const PHASE_TIMEOUT_MS = 30_000;
/** The history's pushes follow a call's `ended`: a round's count waits for the links to be quiet. */
const QUIET_MS = 300;

type CallLoadgen = ChildProcessHandle<CallLoadgenApi>;

/** One side's packets per call, averaged over every call measured. */
export interface SideTraffic {
  sent: number;
  received: number;
  sentBytes: number;
  receivedBytes: number;
  byEvent: Record<string, number>;
}

export interface CallFigures {
  calls: number;
  rounds: number;
  /** From `call.start` until the agent's device rang. */
  ring: LatencySummary;
  /** From `call.accept` until `call.state` established reached both parties (the later one). */
  setup: LatencySummary;
  /** ... reached the callee (the agent, which accepted). */
  setupCallee: LatencySummary;
  /** ... reached the caller (the customer). */
  setupCaller: LatencySummary;
  acceptAck: LatencySummary;
  /** From a device's `call.signal` emit until the other device received it. */
  relay: LatencySummary;
  /** Both devices' packets about their own call (events and acks), per call. */
  messagesPerCall: { min: number; max: number; mean: number; expected: number };
  bytesPerCall: number;
  caller: SideTraffic;
  callee: SideTraffic;
  /** Packets about other conversations received by the agents, per call (their fan-out). */
  otherAgentPacketsPerCall: number;
  otherAgentBytesPerCall: number;
  failures: Record<string, number>;
}

export interface CallsResult {
  /** The signals' JSON sizes as the devices send them, bytes. */
  signalBytes: { offer: number; answer: number; candidate: number; endOfCandidates: number };
  candidatesPerSide: number;
  baseline: CallFigures | null;
  product: CallFigures | null;
}

/**
 * Packets a call costs its two devices: the caller sends `call.start`, its signals and
 * `call.end`; the callee `call.accept` and its signals; each gets an ack for everything it
 * sends, three `call.state` (ringing, established, ended), the other's signals, and on the
 * product a `message.new` for each of the three entries the call writes into the conversation's
 * history.
 */
export function expectedMessagesPerCall(historyEntries: number): number {
  const callerSends = 1 + SIGNALS_PER_SIDE + 1;
  const calleeSends = 1 + SIGNALS_PER_SIDE;
  const pushes = 3 + SIGNALS_PER_SIDE + historyEntries;
  return 2 * callerSends + 2 * calleeSends + 2 * pushes;
}

function merge(records: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) out[key] = (out[key] ?? 0) + value;
  }
  return out;
}

function perCall(traffic: Traffic[], calls: number): SideTraffic {
  const sum = (pick: (t: Traffic) => number) =>
    round(traffic.reduce((total, t) => total + pick(t), 0) / calls, 1);
  const byEvent = merge(traffic.map((t) => t.byEvent));
  return {
    sent: sum((t) => t.sent),
    received: sum((t) => t.received),
    sentBytes: sum((t) => t.sentBytes),
    receivedBytes: sum((t) => t.receivedBytes),
    byEvent: Object.fromEntries(
      Object.entries(byEvent)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => [key, round(value / calls, 2)]),
    ),
  };
}

function spawnLoadgens(label: string): CallLoadgen[] {
  return Array.from({ length: LOADGENS }, (_, i) =>
    ChildProcessHandle.spawn<CallLoadgenApi>({
      name: `loadgen-calls-${label}-${i + 1}`,
      args: ['--import', 'tsx', 'bench/callLoadgen.ts'],
      cwd: repoRoot,
      echo: process.env.BENCH_ECHO === '1',
    }),
  );
}

/** One round on every load generator: place, accept and signal, hang up. */
async function callRound(
  loadgens: CallLoadgen[],
): Promise<{ ring: number[]; answered: AnswerResult[]; hungUp: HangUpResult[] }> {
  const placed = await Promise.all(
    loadgens.map((loadgen) => loadgen.call('placeCalls', { timeoutMs: PHASE_TIMEOUT_MS })),
  );
  const answered = await Promise.all(
    loadgens.map((loadgen) =>
      loadgen.call('answerCalls', { candidates: CANDIDATES, timeoutMs: PHASE_TIMEOUT_MS }),
    ),
  );
  const hungUp = await Promise.all(
    loadgens.map((loadgen) =>
      loadgen.call('hangUp', { quietMs: QUIET_MS, timeoutMs: PHASE_TIMEOUT_MS }),
    ),
  );
  for (const [i, place] of placed.entries()) {
    const first = hungUp[i];
    if (first) first.failures = merge([first.failures, place.failures]);
  }
  return { ring: placed.flatMap((p) => p.ring), answered, hungUp };
}

/** The call rounds on one server (baseline or product), after a warm-up round when asked. */
async function callsOn(target: Target, sizes: CallSizes, log: Log): Promise<CallFigures> {
  const loadgens = spawnLoadgens(target.label);
  try {
    const agents = await target.accounts('agent', sizes.calls, 'call-agent');
    const customers = await target.accounts('customer', sizes.calls, 'call-customer');
    const share = Math.ceil(sizes.calls / LOADGENS);
    // One load generator at a time: the queue then holds only its customers' requests.
    for (const [i, loadgen] of loadgens.entries()) {
      await loadgen.call('pairUp', {
        url: target.urls[0] ?? '',
        agents: agents.slice(i * share, (i + 1) * share),
        customers: customers.slice(i * share, (i + 1) * share),
      });
    }
    log(`${target.label}: ${sizes.calls} agent and customer pairs in conversation`);
    await delay(sizes.settleMs);
    if (sizes.warmUp) {
      await callRound(loadgens);
      await delay(sizes.settleMs);
    }
    const ring: number[] = [];
    const answered: AnswerResult[] = [];
    const hungUp: HangUpResult[] = [];
    for (let r = 1; r <= sizes.callRounds; r += 1) {
      const result = await callRound(loadgens);
      ring.push(...result.ring);
      answered.push(...result.answered);
      hungUp.push(...result.hungUp);
      const setup = summarize(result.answered.flatMap((a) => a.both));
      const counts = result.hungUp.flatMap((h) => h.perCall);
      log(
        `${target.label}: call round ${r}/${sizes.callRounds}: ${setup.count} calls set up, ` +
          `p50 ${round(setup.p50)} ms, p99 ${round(setup.p99)} ms; ` +
          `messages per call ${Math.min(...counts)}-${Math.max(...counts)}; failures ${JSON.stringify(
            merge([
              ...result.answered.map((a) => a.failures),
              ...result.hungUp.map((h) => h.failures),
            ]),
          )}`,
      );
      await delay(sizes.settleMs);
    }
    const counts = hungUp.flatMap((h) => h.perCall);
    const calls = counts.length;
    const caller = perCall(
      hungUp.map((h) => h.caller),
      calls,
    );
    const callee = perCall(
      hungUp.map((h) => h.callee),
      calls,
    );
    const other = hungUp.reduce((sum, h) => sum + h.callee.otherReceived, 0);
    const otherBytes = hungUp.reduce((sum, h) => sum + h.callee.otherReceivedBytes, 0);
    return {
      calls: sizes.calls,
      rounds: sizes.callRounds,
      ring: summarize(ring),
      setup: summarize(answered.flatMap((a) => a.both)),
      setupCallee: summarize(answered.flatMap((a) => a.callee)),
      setupCaller: summarize(answered.flatMap((a) => a.caller)),
      acceptAck: summarize(answered.flatMap((a) => a.acceptAck)),
      relay: summarize(answered.flatMap((a) => a.relay)),
      messagesPerCall: {
        min: calls > 0 ? Math.min(...counts) : Number.NaN,
        max: calls > 0 ? Math.max(...counts) : Number.NaN,
        mean: calls > 0 ? round(counts.reduce((a, b) => a + b, 0) / calls, 2) : Number.NaN,
        expected: expectedMessagesPerCall(target.product ? 3 : 0),
      },
      bytesPerCall: round(
        caller.sentBytes + caller.receivedBytes + callee.sentBytes + callee.receivedBytes,
        0,
      ),
      caller,
      callee,
      otherAgentPacketsPerCall: calls > 0 ? round(other / calls, 1) : Number.NaN,
      otherAgentBytesPerCall: calls > 0 ? round(otherBytes / calls, 0) : Number.NaN,
      failures: merge([...answered.map((a) => a.failures), ...hungUp.map((h) => h.failures)]),
    };
  } finally {
    await Promise.all(loadgens.map((loadgen) => loadgen.stop('SIGKILL', 1_000)));
  }
}

/** The signals' sizes, as the load generators build them. */
function signalBytes(): CallsResult['signalBytes'] {
  const size = (index: number, side: 'caller' | 'callee') =>
    (signalsOf(side, 0, CANDIDATES)[index] ?? {}) as object;
  const bytes = (value: object) => Buffer.byteLength(JSON.stringify(value));
  return {
    offer: bytes(size(0, 'caller')),
    answer: bytes(size(0, 'callee')),
    candidate: bytes(size(1, 'caller')),
    endOfCandidates: bytes(size(CANDIDATES + 1, 'caller')),
  };
}

type CallSizes = CallsSizes & { settleMs: number; warmUp: boolean };

/** The same call rounds on the baseline, then on the product, each server started fresh. */
export async function callsScenario(
  servers: Record<'baseline' | 'product', () => Promise<Target>>,
  sizes: CallSizes,
  log: Log,
): Promise<CallsResult> {
  const result: CallsResult = {
    signalBytes: signalBytes(),
    candidatesPerSide: CANDIDATES,
    baseline: null,
    product: null,
  };
  for (const side of ['baseline', 'product'] as const) {
    const target = await servers[side]();
    try {
      result[side] = await callsOn(target, sizes, log);
    } finally {
      await target.stop();
    }
  }
  return result;
}

const ms = (value: number | undefined): string =>
  value === undefined || Number.isNaN(value) ? 'n/a' : `${round(value, value < 10 ? 2 : 1)} ms`;

function ratio(product: number | undefined, baseline: number | undefined): string {
  if (product === undefined || baseline === undefined || !baseline || Number.isNaN(product)) {
    return 'n/a';
  }
  return `${round(product / baseline, 2)}x`;
}

function failureText(record: Record<string, number> | undefined): string {
  if (!record) return 'n/a';
  const entries = Object.entries(record);
  return entries.length === 0 ? '0' : entries.map(([key, value]) => `${value} ${key}`).join(', ');
}

/** The voice call section of results.md. */
export function callsMarkdown(result: CallsResult | null | undefined): string[] {
  if (!result) return [];
  const p = result.product;
  const b = result.baseline;
  const calls = p?.calls ?? b?.calls ?? 0;
  const lines = [
    `## Voice calls (${calls} set up at once; ${p?.setup.count ?? b?.setup.count ?? 0} calls measured)`,
    '',
    '| metric | product | baseline | product / baseline |',
    '| --- | ---: | ---: | ---: |',
  ];
  const latency = (name: string, pick: (f: CallFigures) => LatencySummary) => {
    for (const key of ['p50', 'p99', 'mean', 'max'] as const) {
      const pv = p ? pick(p)[key] : undefined;
      const bv = b ? pick(b)[key] : undefined;
      lines.push(`| ${name} ${key} | ${ms(pv)} | ${ms(bv)} | ${ratio(pv, bv)} |`);
    }
  };
  latency('call setup (accept -> established at both parties),', (f) => f.setup);
  latency('  at the callee (agent),', (f) => f.setupCallee);
  latency('  at the caller (customer),', (f) => f.setupCaller);
  latency('call.accept ack,', (f) => f.acceptAck);
  latency('ring (call.start -> ringing at the agent),', (f) => f.ring);
  latency('signal relay (call.signal -> the other device),', (f) => f.relay);
  const count = (f: CallFigures | null) =>
    f
      ? `${f.messagesPerCall.min === f.messagesPerCall.max ? f.messagesPerCall.min : `${f.messagesPerCall.min}-${f.messagesPerCall.max}`} (expected ${f.messagesPerCall.expected})`
      : 'n/a';
  lines.push(
    `| Socket.IO messages per call, both devices | ${count(p)} | ${count(b)} | ${ratio(p?.messagesPerCall.mean, b?.messagesPerCall.mean)} |`,
  );
  lines.push(
    `| bytes per call, both devices | ${p ? `${p.bytesPerCall} B` : 'n/a'} | ${b ? `${b.bytesPerCall} B` : 'n/a'} | ${ratio(p?.bytesPerCall, b?.bytesPerCall)} |`,
  );
  lines.push(
    `| packets to the other online agents, per call | ${p ? `${p.otherAgentPacketsPerCall} (${p.otherAgentBytesPerCall} B)` : 'n/a'} | ${b ? `${b.otherAgentPacketsPerCall} (${b.otherAgentBytesPerCall} B)` : 'n/a'} |  |`,
  );
  lines.push(`| failures | ${failureText(p?.failures)} | ${failureText(b?.failures)} |  |`);
  lines.push('');
  if (p) {
    lines.push('Messages per call on the product, by event (every packet: events and acks):');
    lines.push('');
    lines.push('| packet | caller (customer) | callee (agent) |');
    lines.push('| --- | ---: | ---: |');
    const keys = [...new Set([...Object.keys(p.caller.byEvent), ...Object.keys(p.callee.byEvent)])];
    for (const key of keys.sort()) {
      lines.push(`| ${key} | ${p.caller.byEvent[key] ?? 0} | ${p.callee.byEvent[key] ?? 0} |`);
    }
    lines.push(
      `| total (bytes) | ${p.caller.sent + p.caller.received} (${round(p.caller.sentBytes + p.caller.receivedBytes, 0)} B) | ${p.callee.sent + p.callee.received} (${round(p.callee.sentBytes + p.callee.receivedBytes, 0)} B) |`,
    );
    lines.push('');
  }
  const s = result.signalBytes;
  lines.push(
    `Each round: every customer places a call at once (\`call.start\`); once every agent's device rang, every agent accepts at once (\`call.accept\`). Call setup runs from an agent's \`call.accept\` emit until the \`call.state\` established reached its own device (callee) and the customer's (caller); the target is on the later of the two. The caller offers as soon as it hears established, with ${result.candidatesPerSide} ICE candidates and the end-of-candidates; the callee answers the offer with as many (signals of ${s.offer} B offer, ${s.answer} B answer, ${s.candidate} B a candidate, as JSON). Then the customers hang up. Messages: every Socket.IO packet (events and acks) about the call, counted on both devices at the Engine.IO level, with its size over the WebSocket (no framing). The agents also get a \`message.new\` for each history entry of every call (they see every conversation): counted apart, per call. Both parties of a pair are in one load generator process (two processes, the pairs split between them), so both arrival times are on one clock.`,
  );
  lines.push('');
  return lines;
}

/** Target rows for the calls: setup p99 at the full concurrency, and the exact message count. */
export function callsTargets(result: CallsResult | null | undefined, calls: number): TargetCheck[] {
  if (!result) return [];
  const p = result.product;
  const failures = p ? Object.values(p.failures).reduce((a, b) => a + b, 0) : 0;
  return [
    {
      id: 'call-setup',
      name: `call setup, ${calls} calls set up at once`,
      target: 'p99 <= 250 ms (accept -> established at both parties, at 50 at once), no failure',
      measured: p
        ? `p50 ${round(p.setup.p50)} ms, p99 ${round(p.setup.p99)} ms, max ${round(p.setup.max)} ms over ${p.setup.count} calls; ${failures} failures`
        : 'n/a',
      met: p ? p.setup.p99 <= 250 && failures === 0 && p.calls >= 50 && p.setup.count > 0 : null,
    },
    {
      id: 'call-signalling',
      name: `Socket.IO messages per call (${CANDIDATES} ICE candidates each way)`,
      target: `exactly ${expectedMessagesPerCall(3)} on every call`,
      measured: p
        ? `${p.messagesPerCall.min === p.messagesPerCall.max ? p.messagesPerCall.min : `${p.messagesPerCall.min}-${p.messagesPerCall.max}`} over ${p.setup.count} calls, ${p.bytesPerCall} B`
        : 'n/a',
      met: p
        ? p.setup.count > 0 &&
          p.messagesPerCall.min === p.messagesPerCall.expected &&
          p.messagesPerCall.max === p.messagesPerCall.expected
        : null,
    },
  ];
}
