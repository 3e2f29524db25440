import type { AgentState, QueueAlerts, QueueEntry, QueueSnapshot } from '@callcenter/shared';
import { MAX_REPEAT_SECONDS, isRepeatPeriod } from '../../common/alertRepeat';

/** The entry has waited longer than its tier's threshold. */
export function waitsTooLong(entry: QueueEntry, alerts: QueueAlerts | null, now: number): boolean {
  if (alerts === null) return false;
  return now - Date.parse(entry.requestedAt) > alerts.waitSeconds[entry.tier] * 1000;
}

/** How many of the listed entries waited longer than their tier's threshold. */
export function countWaitingLong(
  queue: QueueSnapshot | null,
  alerts: QueueAlerts | null,
  now: number,
): number {
  if (queue === null) return 0;
  return queue.entries.filter((entry) => waitsTooLong(entry, alerts, now)).length;
}

/** The periods an agent may choose for the repeating sound (seconds; 0: no repeat). */
export const REPEAT_CHOICES = [0, 15, 30, 60, 120] as const;

/** The agent's own choice (kept in this console), else the server's, else 30 s. */
export function repeatPeriodSeconds(own: number | null, alerts: QueueAlerts | null): number {
  return own ?? alerts?.repeatSeconds ?? 30;
}

const REPEAT_KEY = 'callcenter.agent.alertRepeatSeconds';

/** Refuses a period that is not whole seconds from 0 (off) to an hour, saying so. */
export function checkRepeatPeriod(seconds: number): void {
  if (!isRepeatPeriod(seconds)) {
    throw new RangeError(
      `repeat period must be a whole number of seconds from 0 (off) to ${MAX_REPEAT_SECONDS}, got ${String(seconds)}`,
    );
  }
}

/** The agent's repeat period kept in this console; null: none chosen (or unreadable). */
export function loadRepeatPreference(storage: Storage | undefined): number | null {
  try {
    const raw = storage?.getItem(REPEAT_KEY);
    const seconds = raw == null ? NaN : Number(raw);
    return isRepeatPeriod(seconds) ? seconds : null;
  } catch {
    return null;
  }
}

export function saveRepeatPreference(storage: Storage | undefined, seconds: number): void {
  checkRepeatPeriod(seconds);
  try {
    storage?.setItem(REPEAT_KEY, String(seconds));
  } catch {
    // Storage full or denied: the choice holds for this session only.
  }
}

/**
 * The repeating queue sound plays while customers wait and the agent can take one: available,
 * below its capacity, with sound on and a repeat period (`repeatSeconds` 0: the agent turned
 * the repeat off).
 */
export function shouldRepeatAlert(input: {
  queue: QueueSnapshot | null;
  agentState: AgentState | null;
  soundEnabled: boolean;
  alerts: QueueAlerts | null;
  repeatSeconds?: number;
}): boolean {
  const { queue, agentState, soundEnabled, alerts, repeatSeconds } = input;
  if (repeatSeconds === 0) return false;
  if (!soundEnabled || alerts === null || queue === null || queue.total === 0) return false;
  if (agentState === null || agentState.status !== 'available') return false;
  return agentState.conversations.length < agentState.capacity;
}

/** Plays `play` every `everyMs` while on; turning it on again with the same period keeps time. */
export class RepeatingAlert {
  private timer: ReturnType<typeof setInterval> | undefined;
  private period = 0;

  constructor(private readonly play: () => void) {}

  set(on: boolean, everyMs: number): void {
    if (on && this.timer !== undefined && this.period === everyMs) return;
    clearInterval(this.timer);
    this.timer = undefined;
    if (!on) return;
    this.period = everyMs;
    this.timer = setInterval(this.play, everyMs);
  }

  stop(): void {
    this.set(false, 0);
  }
}
