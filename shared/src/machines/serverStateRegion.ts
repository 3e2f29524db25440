type FollowServer<TName extends string> = {
  guard: { type: 'serverSays'; params: { state: TName } };
  target: TName;
}[];

/**
 * A region that is a projection of server-confirmed state (a role's `conversation`, a call's
 * `status`). Every state leaves for whichever state the server last confirmed (the machine's
 * `serverSays` guard), so no transition can move it on the client's say-so.
 */
export function serverStateRegion<const TName extends string>(names: readonly [TName, ...TName[]]) {
  const states = {} as Record<TName, { always: FollowServer<TName> }>;
  for (const current of names) {
    const always = names
      .filter((name) => name !== current)
      .map((name) => ({
        guard: { type: 'serverSays' as const, params: { state: name } },
        target: name,
      }));
    states[current] = { always };
  }
  return { initial: names[0], states };
}
