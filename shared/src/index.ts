export * from './domain';
export * from './waitEstimate';
export * from './protocol/index';
