// Draws the app and tray icons (a rising tick line on a dark tile) and writes them as PNG with
// zlib, so the icons are reproducible without an image editor: `node build/scripts/makeIcons.ts`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const outDir = fileURLToPath(new URL('../../resources/', import.meta.url));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// A tick line in unit coordinates (0..1, y down).
const LINE: Array<[number, number]> = [
  [0.16, 0.7],
  [0.32, 0.56],
  [0.44, 0.64],
  [0.6, 0.4],
  [0.7, 0.48],
  [0.84, 0.26],
];

function distToSegment(px: number, py: number, a: [number, number], b: [number, number]): number {
  const [ax, ay] = a;
  const dx = b[0] - ax;
  const dy = b[1] - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

export function drawIcon(size: number): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const radius = 0.18;
  const half = Math.max(0.045, 1.2 / size); // line half-width, at least about a pixel
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size;
      const v = (y + 0.5) / size;
      // Rounded tile: distance outside the inner rectangle.
      const qx = Math.max(Math.abs(u - 0.5) - (0.5 - radius), 0);
      const qy = Math.max(Math.abs(v - 0.5) - (0.5 - radius), 0);
      const tile = Math.min(1, Math.max(0, (radius - Math.hypot(qx, qy)) * size + 0.5));
      let d = Infinity;
      for (let i = 1; i < LINE.length; i++) d = Math.min(d, distToSegment(u, v, LINE[i - 1], LINE[i]));
      const line = Math.min(1, Math.max(0, (half - d) * size + 0.5));
      const i = (y * size + x) * 4;
      // Tile #151a23, line #3ddc97.
      px[i] = Math.round(0x15 + (0x3d - 0x15) * line);
      px[i + 1] = Math.round(0x1a + (0xdc - 0x1a) * line);
      px[i + 2] = Math.round(0x23 + (0x97 - 0x23) * line);
      px[i + 3] = Math.round(255 * tile);
    }
  }
  return px;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [name, size] of [
    ['icon.png', 512],
    ['tray-16.png', 16],
    ['tray-32.png', 32],
  ] as const) {
    const file = path.join(outDir, name);
    writeFileSync(file, encodePng(size, drawIcon(size)));
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
