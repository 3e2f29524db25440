export * from './callMedia';
export * from './callAudio';
export * from './ringtone';
export * from './deviceCall';
