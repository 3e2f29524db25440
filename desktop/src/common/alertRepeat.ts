// The agent's own period for the repeating queue sound (issue 14, point 6). Pure, so the main
// process (settings.json, IPC) and the renderer (a browser's localStorage) check it alike.

/** The longest period an agent may choose (seconds). */
export const MAX_REPEAT_SECONDS = 3600;

/** Whole seconds from 0 (no repeat) to an hour. */
export function isRepeatPeriod(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 0 &&
    value <= MAX_REPEAT_SECONDS
  );
}
