import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** A photo that takes longer than this to decode is refused (a phone's takes about a second). */
const DECODE_TIMEOUT_MS = 30_000;

/**
 * The worker's code (CommonJS, run with `eval`): libheif in WebAssembly decodes the first
 * image, after its size is checked against the pixel limit (a small file may claim a huge one).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const decode = require(workerData.modulePath);
(async () => {
  const images = await decode.all({ buffer: workerData.content });
  try {
    const first = images[0];
    if (first.width * first.height > workerData.maxPixels) {
      parentPort.postMessage({ tooManyPixels: true });
      return;
    }
    const { width, height, data } = await first.decode();
    parentPort.postMessage({ width, height, data }, [data.buffer]);
  } finally {
    images.dispose();
  }
})().catch((error) => {
  parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
});
`;

/**
 * Decodes a HEIC/HEIF photo to upright RGBA pixels; throws HeicTooLargeError for one of more
 * than the pixel limit (before decoding it).
 */
export type HeicDecoder = (
  content: Buffer,
) => Promise<{ width: number; height: number; data: Uint8Array }>;

type WorkerAnswer =
  { width: number; height: number; data: Uint8Array } | { tooManyPixels: true } | { error: string };

/** The photo claims more pixels than allowed; nothing was decoded. */
export class HeicTooLargeError extends Error {
  constructor() {
    super('the HEIC photo has too many pixels');
    this.name = 'HeicTooLargeError';
  }
}

/**
 * Decodes HEIC/HEIF photos in a worker thread each: libheif's WebAssembly runs for about a
 * second per phone photo, which on the main thread would hold up every socket of the node.
 * Null when the decoder is not installed (HEIC photos are then refused with their own words).
 */
export function heicDecoderInWorkers(maxPixels: number): HeicDecoder | null {
  let modulePath: string;
  try {
    modulePath = createRequire(import.meta.url).resolve('heic-decode');
  } catch {
    return null;
  }
  return (content) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { modulePath, content, maxPixels },
        // libheif writes its complaints about a damaged file to stderr: not the server's log.
        stdout: true,
        stderr: true,
      });
      worker.stdout.resume();
      worker.stderr.resume();
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
        void worker.terminate();
      };
      const timer = setTimeout(() => {
        settle(() => {
          reject(new Error(`decoding the HEIC photo took over ${DECODE_TIMEOUT_MS} ms`));
        });
      }, DECODE_TIMEOUT_MS);
      worker.once('message', (answer: WorkerAnswer) => {
        settle(() => {
          if ('error' in answer) reject(new Error(answer.error));
          else if ('tooManyPixels' in answer) reject(new HeicTooLargeError());
          else resolve(answer);
        });
      });
      worker.once('error', (error) => {
        settle(() => {
          reject(error);
        });
      });
      worker.once('exit', (code) => {
        settle(() => {
          reject(new Error(`the HEIC decoder stopped (exit ${code})`));
        });
      });
    });
}
