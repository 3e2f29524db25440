export * from './domain';
export * from './protocol/index';
