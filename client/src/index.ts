// The headless client core: what every client (the customer app, the agent console, the test
// client, the load generators) does with the server, written once. Platform-free: each app
// brings only its adapters (storage, connection lifecycle) and its UI.
export * from './request';
export * from './syncPager';
export * from './sendRetry';
export * from './clientMessageId';
export * from './sessionStore';
export * from './outbox';
export * from './reconnect';
export * from './authApi';
export * from './calls';
export * from './callWording';
export * from './noticeWording';
export * from './waitWording';
export * from './activity';
export * from './cannedReplies';
export * from './language';
export * from './attachments';
export * from './pushApi';
export * from './localeCheck';
export * from './textWording';
