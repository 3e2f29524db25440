export * from './errors';
export * from './events';
export * from './schemas';
export * from './calls';
export * from './activity';
export * from './canned';
export * from './ackSchemas';
export * from './text';
