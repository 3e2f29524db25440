// Draws the app icons (a speech bubble on the theme colour) as PNGs into public/icons/.
// Run with `npm run icons -w @callcenter/pwa` after changing the artwork; the PNGs are committed.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { THEME_COLOUR } from '../src/theme';

type Rgb = readonly [number, number, number];

const WHITE: Rgb = [255, 255, 255];
const BRAND = hexToRgb(THEME_COLOUR);

function hexToRgb(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

// Signed distances (negative inside) in a unit square; the artwork is three shapes.
function roundedRect(
  x: number,
  y: number,
  cx: number,
  cy: number,
  hw: number,
  hh: number,
  r: number,
) {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function circle(x: number, y: number, cx: number, cy: number, r: number): number {
  return Math.hypot(x - cx, y - cy) - r;
}

function triangle(x: number, y: number, points: readonly [number, number][]): number {
  // Inside when on the same side of all three edges; good enough as an in/out test.
  let sign = 0;
  for (const [i, [ax, ay]] of points.entries()) {
    const [bx, by] = points[(i + 1) % points.length] ?? [ax, ay];
    const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    const side = Math.sign(cross);
    if (side === 0) continue;
    if (sign === 0) sign = side;
    else if (side !== sign) return 1;
  }
  return -1;
}

/** Colour of one point of the artwork scaled into `glyph` (0..1) of the canvas. */
function glyphColour(x: number, y: number, glyph: number): Rgb | null {
  const u = (x - 0.5) / glyph + 0.5;
  const v = (y - 0.5) / glyph + 0.5;
  const body = roundedRect(u, v, 0.5, 0.44, 0.46, 0.34, 0.14);
  const tail = triangle(u, v, [
    [0.2, 0.7],
    [0.44, 0.7],
    [0.16, 0.97],
  ]);
  if (body > 0 && tail > 0) return null;
  for (const dotX of [0.27, 0.5, 0.73]) {
    if (circle(u, v, dotX, 0.44, 0.075) < 0) return BRAND;
  }
  return WHITE;
}

interface IconSpec {
  file: string;
  size: number;
  /** Maskable icons fill the canvas; the rest are rounded squares with transparent corners. */
  maskable: boolean;
}

const ICONS: IconSpec[] = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon-180.png', size: 180, maskable: true },
];

const SAMPLES = 4;

function draw({ size, maskable }: IconSpec): Buffer {
  // Maskable: the glyph stays inside the 80% safe zone whatever mask the launcher applies.
  const glyph = maskable ? 0.5 : 0.62;
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          const inBackground = maskable || roundedRect(x, y, 0.5, 0.5, 0.5, 0.5, 0.22) < 0;
          if (!inBackground) continue;
          const colour = glyphColour(x, y, glyph) ?? BRAND;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 1;
        }
      }
      const offset = (py * size + px) * 4;
      const covered = Math.max(a, 1);
      rgba[offset] = Math.round(r / covered);
      rgba[offset + 1] = Math.round(g / covered);
      rgba[offset + 2] = Math.round(b / covered);
      rgba[offset + 3] = Math.round((a / (SAMPLES * SAMPLES)) * 255);
    }
  }
  return encodePng(size, size, rgba);
}

/** 8-bit RGBA, as `draw` paints (pngjs: a well-kept encoder rather than one of our own). */
function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const image = new PNG({ width, height });
  image.data = rgba;
  return PNG.sync.write(image, { deflateLevel: 9 });
}

function faviconSvg(): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
  <rect width="64" height="64" rx="14" fill="${THEME_COLOUR}"/>
  <path d="M15 12h34a9 9 0 0 1 9 9v17a9 9 0 0 1-9 9H30L13 59l4-12h-2a9 9 0 0 1-9-9V21a9 9 0 0 1 9-9z" fill="#fff"/>
  <circle cx="21" cy="30" r="3.6" fill="${THEME_COLOUR}"/>
  <circle cx="32" cy="30" r="3.6" fill="${THEME_COLOUR}"/>
  <circle cx="43" cy="30" r="3.6" fill="${THEME_COLOUR}"/>
</svg>
`;
}

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
mkdirSync(outDir, { recursive: true });
for (const icon of ICONS) {
  writeFileSync(join(outDir, icon.file), draw(icon));
  console.log(`wrote ${icon.file} (${icon.size}x${icon.size})`);
}
writeFileSync(join(outDir, 'favicon.svg'), faviconSvg());
console.log('wrote favicon.svg');
