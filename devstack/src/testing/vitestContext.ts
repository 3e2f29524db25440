// What the test projects' global setup provides to every test file (`inject('mongodbUrl')`).
declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUrl: string;
  }
}

export {};
