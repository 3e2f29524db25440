import { useStore } from 'zustand';
import { useAgentClient, useConsoleView } from '../hooks/agentClientContext';
import { REPEAT_CHOICES, repeatPeriodSeconds } from '../state/queueAlerts';

function choiceText(seconds: number): string {
  if (seconds === 0) return 'Repeat off';
  return seconds < 60 ? `Repeat every ${seconds} s` : `Repeat every ${seconds / 60} min`;
}

/**
 * How often the queue sound repeats while customers wait and this agent can take one: this
 * agent's choice, kept like the Sound switch (the desktop app's settings, a browser's
 * localStorage); the server's setting until it makes one.
 */
export function AlertRepeatControl() {
  const client = useAgentClient();
  const soundEnabled = useConsoleView((view) => view.soundEnabled);
  const period = useStore(client.alerts, (state) =>
    repeatPeriodSeconds(state.ownRepeatSeconds, state.settings),
  );
  const choices: readonly number[] = REPEAT_CHOICES.includes(
    period as (typeof REPEAT_CHOICES)[number],
  )
    ? REPEAT_CHOICES
    : [...REPEAT_CHOICES, period].sort((a, b) => a - b);
  return (
    <label className="repeat-control" title="Repeat the queue sound while customers wait">
      <span className="visually-hidden">Queue sound repeat</span>
      <select
        value={period}
        disabled={!soundEnabled}
        onChange={(event) => {
          client.setAlertRepeat(Number(event.target.value));
        }}
      >
        {choices.map((seconds) => (
          <option key={seconds} value={seconds}>
            {choiceText(seconds)}
          </option>
        ))}
      </select>
    </label>
  );
}
