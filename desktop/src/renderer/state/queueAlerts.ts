import type { AgentState, QueueAlerts, QueueEntry, QueueSnapshot } from '@callcenter/shared';

/** The entry has waited longer than its tier's threshold. */
export function waitsTooLong(entry: QueueEntry, alerts: QueueAlerts | null, now: number): boolean {
  if (alerts === null) return false;
  return now - Date.parse(entry.requestedAt) > alerts.waitSeconds[entry.tier] * 1000;
}

/**
 * The repeating queue sound plays while customers wait and the agent can take one: available,
 * below its capacity, with sound on.
 */
export function shouldRepeatAlert(input: {
  queue: QueueSnapshot | null;
  agentState: AgentState | null;
  soundEnabled: boolean;
  alerts: QueueAlerts | null;
}): boolean {
  const { queue, agentState, soundEnabled, alerts } = input;
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
