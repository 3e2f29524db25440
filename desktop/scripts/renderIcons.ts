// `npm run icons -w @callcenter/desktop`: draws the app icon (a white chat bubble on a blue
// rounded square, as in the console's header) and the tray and badge images, and writes them as
// PNG, ICO and ICNS. Plain Node (zlib), so the images can be made again anywhere; the results are
// committed under build/ (electron-builder's resources) and assets/ (the tray, at run time).
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

type Rgba = readonly [number, number, number, number];
/** Coverage test in unit coordinates (0..1 across the image). */
type Shape = (x: number, y: number) => boolean;

const BLUE_TOP: Rgba = [47, 102, 232, 255];
const BLUE_BOTTOM: Rgba = [28, 69, 182, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const RED: Rgba = [222, 53, 41, 255];
const SUPERSAMPLING = 4;

function roundedRect(left: number, top: number, right: number, bottom: number, radius: number) {
  return (x: number, y: number): boolean => {
    if (x < left || x > right || y < top || y > bottom) return false;
    const dx = Math.max(left + radius - x, 0, x - (right - radius));
    const dy = Math.max(top + radius - y, 0, y - (bottom - radius));
    return dx * dx + dy * dy <= radius * radius;
  };
}

function circle(cx: number, cy: number, radius: number): Shape {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
}

function triangle(a: [number, number], b: [number, number], c: [number, number]): Shape {
  const side = (p: [number, number], q: [number, number], x: number, y: number): number =>
    (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  return (x, y) => {
    const s1 = side(a, b, x, y);
    const s2 = side(b, c, x, y);
    const s3 = side(c, a, x, y);
    return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
  };
}

interface Layer {
  shape: Shape;
  colour: (y: number) => Rgba;
}

const solid = (colour: Rgba) => (): Rgba => colour;

function gradient(top: Rgba, bottom: Rgba): (y: number) => Rgba {
  return (y) => top.map((value, i) => Math.round(value + ((bottom[i] ?? 0) - value) * y)) as never;
}

/** Paints layers in order, each anti-aliased by supersampling, "over" the ones below. */
function render(size: number, layers: Layer[]): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const layer of layers) {
        let covered = 0;
        for (let sy = 0; sy < SUPERSAMPLING; sy += 1) {
          for (let sx = 0; sx < SUPERSAMPLING; sx += 1) {
            const x = (px + (sx + 0.5) / SUPERSAMPLING) / size;
            const y = (py + (sy + 0.5) / SUPERSAMPLING) / size;
            if (layer.shape(x, y)) covered += 1;
          }
        }
        if (covered === 0) continue;
        const [lr, lg, lb, la] = layer.colour((py + 0.5) / size);
        const alpha = (covered / SUPERSAMPLING ** 2) * (la / 255);
        const outAlpha = alpha + (a / 255) * (1 - alpha);
        const mix = (top: number, below: number): number =>
          outAlpha === 0 ? 0 : (top * alpha + below * (a / 255) * (1 - alpha)) / outAlpha;
        [r, g, b, a] = [mix(lr, r), mix(lg, g), mix(lb, b), outAlpha * 255];
      }
      pixels.set([r, g, b, a].map(Math.round), (py * size + px) * 4);
    }
  }
  return pixels;
}

/** 8-bit RGBA, as `render` draws (pngjs: a well-kept encoder rather than one of our own). */
function encodePng(size: number, pixels: Buffer): Buffer {
  const image = new PNG({ width: size, height: size });
  image.data = pixels;
  return PNG.sync.write(image, { deflateLevel: 9 });
}

/** Windows icon: PNG images in an ICO container. */
function encodeIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + images.length * 16);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, index) => {
    const entry = 6 + index * 16;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

/** macOS icon: PNG images in an ICNS container. */
function encodeIcns(images: { type: string; png: Buffer }[]): Buffer {
  const entries = images.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + entries.reduce((sum, entry) => sum + entry.length, 0), 4);
  return Buffer.concat([head, ...entries]);
}

const appIcon: Layer[] = [
  { shape: roundedRect(0.02, 0.02, 0.98, 0.98, 0.22), colour: gradient(BLUE_TOP, BLUE_BOTTOM) },
  { shape: roundedRect(0.2, 0.24, 0.8, 0.64, 0.08), colour: solid(WHITE) },
  { shape: triangle([0.3, 0.6], [0.46, 0.6], [0.28, 0.8]), colour: solid(WHITE) },
  ...[0.36, 0.5, 0.64].map((x) => ({ shape: circle(x, 0.44, 0.05), colour: solid(BLUE_BOTTOM) })),
];

const waitingDot: Layer[] = [
  { shape: circle(0.78, 0.22, 0.24), colour: solid(WHITE) },
  { shape: circle(0.78, 0.22, 0.18), colour: solid(RED) },
];

const badge: Layer[] = [{ shape: circle(0.5, 0.5, 0.46), colour: solid(RED) }];

const desktopDir = fileURLToPath(new URL('..', import.meta.url));
const png = (size: number, layers: Layer[]): Buffer => encodePng(size, render(size, layers));

async function write(path: string, data: Buffer): Promise<void> {
  await writeFile(`${desktopDir}${path}`, data);
  console.log(`wrote desktop/${path}`);
}

await mkdir(`${desktopDir}build/icons`, { recursive: true });
await mkdir(`${desktopDir}assets`, { recursive: true });

const bySize = new Map<number, Buffer>();
for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) bySize.set(size, png(size, appIcon));
const sized = (size: number): Buffer => bySize.get(size) ?? png(size, appIcon);

await write('build/icon.png', sized(1024));
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  await write(`build/icons/${size}x${size}.png`, sized(size));
}
await write(
  'build/icon.ico',
  encodeIco([16, 32, 48, 256].map((size) => ({ size, png: sized(size) }))),
);
await write(
  'build/icon.icns',
  encodeIcns([
    { type: 'ic11', png: sized(32) },
    { type: 'ic12', png: sized(64) },
    { type: 'ic07', png: sized(128) },
    { type: 'ic08', png: sized(256) },
    { type: 'ic09', png: sized(512) },
    { type: 'ic10', png: sized(1024) },
  ]),
);
for (const [suffix, scale] of [
  ['', 1],
  ['@2x', 2],
] as const) {
  await write(`assets/tray${suffix}.png`, png(16 * scale, appIcon));
  await write(`assets/tray-waiting${suffix}.png`, png(16 * scale, [...appIcon, ...waitingDot]));
  await write(`assets/badge${suffix}.png`, png(16 * scale, badge));
}
