export * from './domain';
export * from './languages';
export * from './waitEstimate';
export * from './protocol/index';
