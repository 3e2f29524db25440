import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { Translate } from '@callcenter/client';
import { useAgentClient, useConsoleView } from '../hooks/agentClientContext';
import { REPEAT_CHOICES, repeatPeriodSeconds } from '../state/queueAlerts';

function choiceText(seconds: number, t: Translate): string {
  if (seconds === 0) return t('header.repeatOff');
  return seconds < 60
    ? t('header.repeatSeconds', { count: seconds })
    : t('header.repeatMinutes', { count: seconds / 60 });
}

/**
 * How often the queue sound repeats while customers wait and this agent can take one: this
 * agent's choice, kept like the Sound switch (the desktop app's settings, a browser's
 * localStorage); the server's setting until it makes one.
 */
export function AlertRepeatControl() {
  const { t } = useTranslation();
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
    <label className="repeat-control" title={t('header.repeatTitle')}>
      <span className="visually-hidden">{t('header.repeatLabel')}</span>
      <select
        value={period}
        disabled={!soundEnabled}
        onChange={(event) => {
          client.setAlertRepeat(Number(event.target.value));
        }}
      >
        {choices.map((seconds) => (
          <option key={seconds} value={seconds}>
            {choiceText(seconds, t)}
          </option>
        ))}
      </select>
    </label>
  );
}
