// A tiny PNG reader for tests: 8-bit RGB / RGBA, non-interlaced (what headless Chromium's screenshots are), so a
// test can look at the pixels without an image library.
import { inflateSync } from 'node:zlib';

export interface Image {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, rows top to bottom. */
  rgba: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOR_RGB = 2;
const COLOR_RGBA = 6;

export function decodePng(file: Buffer): Image {
  if (file.length < SIGNATURE.length || !file.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a PNG file (bad signature)');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let off = SIGNATURE.length; off + 8 <= file.length; ) {
    const len = file.readUInt32BE(off);
    const type = file.toString('latin1', off + 4, off + 8);
    const data = file.subarray(off + 8, off + 8 + len);
    off += 12 + len; // length, type, data, CRC
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, color, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || (color !== COLOR_RGB && color !== COLOR_RGBA) || interlace !== 0) {
        throw new Error(`unsupported PNG: bit depth ${depth}, colour type ${color}, interlace ${interlace} (expected 8-bit RGB/RGBA, not interlaced)`);
      }
      channels = color === COLOR_RGBA ? 4 : 3;
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
  }
  if (!width || !height || !channels) throw new Error('PNG without IHDR');
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) throw new Error(`PNG data too short: ${raw.length} bytes for ${width}x${height}`);
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) unfilterRow(raw[y * (stride + 1)]!, raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), pixels, y, stride, channels);
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0, j = 0; i < pixels.length; i += channels, j += 4) {
    rgba[j] = pixels[i]!;
    rgba[j + 1] = pixels[i + 1]!;
    rgba[j + 2] = pixels[i + 2]!;
    rgba[j + 3] = channels === 4 ? pixels[i + 3]! : 255;
  }
  return { width, height, rgba };
}

/** PNG filter types 0–4 (None, Sub, Up, Average, Paeth), undone into row `y` of `out`. */
function unfilterRow(filter: number, row: Buffer, out: Buffer, y: number, stride: number, bpp: number): void {
  const base = y * stride;
  const prev = y > 0 ? base - stride : -1;
  for (let x = 0; x < stride; x++) {
    const a = x >= bpp ? out[base + x - bpp]! : 0;
    const b = prev >= 0 ? out[prev + x]! : 0;
    const c = prev >= 0 && x >= bpp ? out[prev + x - bpp]! : 0;
    let predictor: number;
    switch (filter) {
      case 0: predictor = 0; break;
      case 1: predictor = a; break;
      case 2: predictor = b; break;
      case 3: predictor = (a + b) >> 1; break;
      case 4: predictor = paeth(a, b, c); break;
      default: throw new Error(`bad PNG filter type ${filter} in row ${y}`);
    }
    out[base + x] = (row[x]! + predictor) & 0xff;
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/** How many pixels have each colour (`#rrggbb`, alpha ignored). */
export function colourCounts(img: Image): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < img.rgba.length; i += 4) {
    const key = `#${((img.rgba[i]! << 16) | (img.rgba[i + 1]! << 8) | img.rgba[i + 2]!).toString(16).padStart(6, '0')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
