export * from './upload';
export * from './attachmentFiles';
export * from './uploadProgress';
