/**
 * R3's estimated wait: how long a queued customer may still wait, from how fast requests have
 * been taken lately. A range, not a promise: the take rate is a count over a window, and a count
 * of n such events is uncertain by about √n (Poisson), so the range widens when few were taken.
 */

/** How many requests were first taken in the last `windowSeconds`, on every node. */
export interface TakeRate {
  takes: number;
  windowSeconds: number;
}

/** An estimated wait, whole minutes in seconds: `minSeconds` < `maxSeconds`. */
export interface WaitEstimate {
  minSeconds: number;
  maxSeconds: number;
}

/** Fewer takes than this in the window give no estimate: a guess from one or two is noise. */
export const WAIT_ESTIMATE_MIN_TAKES = 3;

/** Estimates above this are not given: nobody plans by "two to nine hours". */
export const WAIT_ESTIMATE_MAX_SECONDS = 4 * 3600;

/**
 * The wait of the customer at `position` (1-based, the queue's order): `position` requests
 * (its own and those ahead) must be taken, at the recent rate give or take its uncertainty.
 * Null when the rate says too little (no agents taking, or too few takes lately) or the wait
 * is too long to estimate.
 */
export function estimateWait(position: number, rate: TakeRate): WaitEstimate | null {
  const { takes, windowSeconds } = rate;
  if (position < 1 || windowSeconds <= 0 || takes < WAIT_ESTIMATE_MIN_TAKES) return null;
  const spread = Math.sqrt(takes);
  const fastest = (position * windowSeconds) / (takes + spread);
  const slowest = (position * windowSeconds) / (takes - spread);
  if (slowest > WAIT_ESTIMATE_MAX_SECONDS) return null;
  const minMinutes = Math.floor(fastest / 60);
  const maxMinutes = Math.max(minMinutes + 1, Math.ceil(slowest / 60));
  return { minSeconds: minMinutes * 60, maxSeconds: maxMinutes * 60 };
}
