// What the server package offers the dev stack (`npm start`, the test stack): starting the app
// with a configuration. Production runs src/main.ts; storage internals are in ./storage.
export { startServer, type RunningServer } from './app';
export { ConfigError, loadConfig, type Config } from './config';
export { createLogger, type Logger } from './logger';
export { hashPassword } from './passwords';
export { findRepoRoot, readRuntimeInfo, writeRuntimeInfo, type RuntimeInfo } from './runtimeInfo';
