// Issue 14, points 6 and 7: the settings of idle closing and queue alerts, read from the
// environment like the rest, each bad value refused with what is wrong.
import { describe, expect, it } from 'vitest';
import { configFrom, configProblems } from './support/configProblems';

describe('idle close and queue alert settings', () => {
  it('default to a 10-minute warning, a 2-minute close and per-tier waiting thresholds', () => {
    const config = configFrom({});
    expect(config.idleClose).toEqual({ warningSeconds: 600, closeSeconds: 120 });
    expect(config.queueAlerts).toEqual({
      repeatSeconds: 30,
      waitSeconds: { standard: 120, gold: 60, platinum: 30 },
    });
  });

  it('read the environment, 0 turning automatic closing off', () => {
    const config = configFrom({
      CHAT_IDLE_WARNING_SECONDS: '45',
      CHAT_IDLE_CLOSE_SECONDS: '0',
      QUEUE_ALERT_REPEAT_SECONDS: '10',
      QUEUE_WAIT_ALERT_SECONDS: ' platinum=5, standard=20,gold=10',
    });
    expect(config.idleClose).toEqual({ warningSeconds: 45, closeSeconds: 0 });
    expect(config.queueAlerts).toEqual({
      repeatSeconds: 10,
      waitSeconds: { standard: 20, gold: 10, platinum: 5 },
    });
  });

  it('refuse bad values, saying which and why', () => {
    const problems = (env: Record<string, string>) => configProblems(env).join('\n');
    expect(problems({ CHAT_IDLE_WARNING_SECONDS: '-1' })).toMatch(/^CHAT_IDLE_WARNING_SECONDS: /);
    expect(problems({ CHAT_IDLE_CLOSE_SECONDS: 'soon' })).toMatch(/^CHAT_IDLE_CLOSE_SECONDS: /);
    expect(problems({ QUEUE_ALERT_REPEAT_SECONDS: '0' })).toMatch(/^QUEUE_ALERT_REPEAT_SECONDS: /);
    expect(problems({ QUEUE_WAIT_ALERT_SECONDS: 'standard=120,gold=60' })).toContain(
      'no value for platinum',
    );
    expect(problems({ QUEUE_WAIT_ALERT_SECONDS: 'standard=120,gold=0,platinum=30' })).toContain(
      '"gold=0" is not tier=seconds',
    );
    expect(
      problems({ QUEUE_WAIT_ALERT_SECONDS: 'standard=1,standard=2,gold=1,platinum=1' }),
    ).toContain('"standard=2" is not tier=seconds');
    expect(
      problems({ QUEUE_WAIT_ALERT_SECONDS: 'silver=60,standard=1,gold=1,platinum=1' }),
    ).toContain('"silver=60" is not tier=seconds');
  });
});
