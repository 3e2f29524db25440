export * from './callMedia';
export * from './callAudio';
