/** Paths the server answers itself: the service worker never answers them with the app shell. */
export const SERVER_PATHS: RegExp[] = [
  /^\/api\//,
  /^\/agent(\/|$)/,
  /^\/supervisor(\/|$)/,
  /^\/socket\.io\//,
  /^\/healthz$/,
  /^\/readyz$/,
  /^\/metrics$/,
];
