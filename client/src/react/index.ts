// React pieces both apps (the customer PWA and the agent console) use the same way. Browser and
// React only: the rest of the client core stays platform-free.
export * from './appI18n';
export * from './attachments';
export * from './LanguageSwitch';
