import { randomUUID } from 'node:crypto';
import type { CallEndReason, CallSignal, CallState, IceConfig } from '@callcenter/shared';
import { ProtocolError } from '@callcenter/shared';
import type { PartyIdentity } from '../auth/authService';
import { callView, type CallRecord, type Calls } from '../live/calls';
import type { Logger } from '../logger';
import type { IceSettings } from '../config';
import type { Broadcaster } from './broadcaster';
import { NO_ALERTS, type CustomerAlerts } from './customerAlerts';
import { iceConfigFor } from './iceServers';

/** One device of a signed-in user: its session and the socket it speaks on. */
/** How long a call's change waits for its history record before both parties hear it anyway. */
const HISTORY_WAIT_MS = 2_000;

/** Where a call's events go into its conversation's history (MessagingService). */
export interface CallHistory {
  recordCall(call: CallState, customerId: string): Promise<unknown>;
}

export interface CallDevice {
  identity: PartyIdentity;
  socketId: string;
}

/**
 * Voice calls between the two parties of an active conversation. Redis holds every call and
 * decides each transition (one script each); this service tells both parties what changed and
 * relays the media signalling between the two devices in a call, and nowhere else.
 */
export class CallService {
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly calls: Calls,
    private readonly broadcaster: Broadcaster,
    private readonly logger: Logger,
    private readonly timing: { ringTimeoutMs: number; reconnectGraceMs: number; sweepMs: number },
    private readonly ice: IceSettings,
    private readonly history: CallHistory,
    /** An agent's call ringing, for a customer with no app open (Web Push). */
    private readonly alerts: CustomerAlerts = NO_ALERTS,
  ) {}

  /** How this user's device connects a call's media (fresh TURN credentials each time). */
  iceFor(identity: PartyIdentity): IceConfig {
    return iceConfigFor(this.ice, identity.userId, Date.now());
  }

  async start({ identity, socketId }: CallDevice, conversationId: string): Promise<CallState> {
    const now = new Date();
    const { call, changed } = await this.calls.start(
      {
        role: identity.role,
        userId: identity.userId,
        displayName: identity.displayName,
        socketId,
        sessionId: identity.sessionId,
      },
      {
        conversationId,
        callId: randomUUID(),
        now: now.toISOString(),
        ringDeadlineMs: now.getTime() + this.timing.ringTimeoutMs,
      },
    );
    if (changed) await this.announce(call);
    if (changed && identity.role === 'agent' && call.state === 'ringing') {
      this.alerts.alert({
        kind: 'call',
        customerId: call.customerId,
        conversationId,
        agentName: identity.displayName,
      });
    }
    return callView(call);
  }

  async answer(
    { identity, socketId }: CallDevice,
    callId: string,
    answer: 'accept' | 'decline',
  ): Promise<CallState> {
    const call = await this.calls.answer(
      { role: identity.role, userId: identity.userId, socketId, sessionId: identity.sessionId },
      callId,
      answer,
      new Date().toISOString(),
    );
    await this.announce(call);
    return callView(call);
  }

  async end(identity: PartyIdentity, callId: string, reason: CallEndReason): Promise<CallState> {
    const { call, changed } = await this.calls.end(
      { role: identity.role, userId: identity.userId },
      callId,
      reason,
      new Date().toISOString(),
    );
    if (changed) await this.announce(call);
    return callView(call);
  }

  /**
   * Relays a signal from one device in an established call to the other. Anyone else, a device
   * of a party that is not the one in the call, or a call not (yet, or any more) connected, is
   * refused and the signal goes nowhere.
   */
  async signal(
    { identity, socketId }: CallDevice,
    callId: string,
    signal: CallSignal,
  ): Promise<void> {
    let call = await this.calls.get(callId);
    const partyId = identity.role === 'agent' ? call?.agentId : call?.customerId;
    if (!call || partyId !== identity.userId) {
      throw new ProtocolError('not_found', 'No such call.');
    }
    if (call.state !== 'established') {
      throw new ProtocolError('forbidden', 'The call is not connected.');
    }
    const inCall = (c: CallRecord) => socketId === c.callerSocket || socketId === c.calleeSocket;
    const sessionInCall = (c: CallRecord) =>
      identity.sessionId === c.callerSession || identity.sessionId === c.calleeSession;
    // A device that came back may signal before its new connection was taken into the call.
    if (!inCall(call) && sessionInCall(call)) {
      await this.calls.deviceBack(identity.sessionId, socketId);
      call = (await this.calls.get(callId)) ?? call;
    }
    if (!inCall(call)) {
      throw new ProtocolError('forbidden', 'Another of your devices is in this call.');
    }
    const other = socketId === call.callerSocket ? call.calleeSocket : call.callerSocket;
    if (other !== null) this.broadcaster.callSignal(other, { callId, signal });
  }

  /** A conversation's end ended its call too (in the same script): tell both parties. */
  async conversationEnded(callId: string | undefined): Promise<void> {
    if (callId === undefined) return;
    const call = await this.calls.get(callId);
    if (call) await this.announce(call);
  }

  /** The call ringing or established in a conversation (for a re-sync), if any. */
  async liveIn(conversationId: string | null): Promise<CallState | null> {
    if (conversationId === null) return null;
    const call = await this.calls.liveIn(conversationId);
    return call ? callView(call) : null;
  }

  /** The call ringing or on in any of these conversations (an agent takes one at a time). */
  async liveInAny(conversationIds: readonly string[]): Promise<CallState | null> {
    const calls = await Promise.all(conversationIds.map((id) => this.liveIn(id)));
    return calls.find((call) => call !== null) ?? null;
  }

  /**
   * A socket went away: a call it was a device in waits `reconnectGraceMs` for the same login
   * session to connect again (a phone changing networks), then ends as `disconnected`.
   */
  async socketGone(socketId: string): Promise<void> {
    await this.calls.deviceGone([socketId], Date.now() + this.timing.reconnectGraceMs);
  }

  /** A socket connected: it becomes its session's device in a live call, if there is one. */
  async socketConnected({ identity, socketId }: CallDevice): Promise<void> {
    const callId = await this.calls.deviceBack(identity.sessionId, socketId);
    if (callId !== null) this.logger.info({ callId }, 'a device came back to its call');
  }

  /** Sweeps the calls that rang out or lost a device, on every node (the script is idempotent). */
  startSweeping(): void {
    this.sweepTimer = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = this.sweep()
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, 'sweeping calls that rang out failed');
        })
        .finally(() => {
          this.sweeping = undefined;
        });
    }, this.timing.sweepMs);
    this.sweepTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.sweeping;
  }

  private async sweep(): Promise<void> {
    const swept = await this.calls.sweep(new Date());
    await Promise.all(swept.map((call) => this.announce(call)));
  }

  /**
   * Records what changed in the conversation's history, then tells both parties. In that order,
   * so the history keeps the order of events: whatever a party does next, it does after hearing
   * this. The call's own state is already decided: a history write that fails is logged, and
   * the call goes on.
   */
  private async announce(call: CallRecord): Promise<void> {
    const view = callView(call);
    const recorded = this.history.recordCall(view, call.customerId).catch((error: unknown) => {
      this.logger.warn({ err: error, callId: call.callId }, 'recording a call event failed');
    });
    // Storage that is slow or away does not hold up the call: the write goes on meanwhile.
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([
      recorded,
      new Promise((resolve) => (waited = setTimeout(resolve, HISTORY_WAIT_MS))),
    ]);
    clearTimeout(waited);
    this.broadcaster.callChanged(view, { customerId: call.customerId, agentId: call.agentId });
  }
}
