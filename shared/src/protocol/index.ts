export * from './errors';
export * from './events';
export * from './schemas';
export * from './ackSchemas';
export * from './text';
