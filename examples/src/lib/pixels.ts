// Pure-JS image processing on RGBA buffers: what a thumbnailer does, without native code. Every
// function here is a loop over pixels with no await: CPU-bound, it blocks the event loop while it runs.

export interface Image {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** A deterministic test card: gradients plus a checkerboard, so blurs change every channel. */
export function testCard(width: number, height: number): Image {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const check = ((x >> 4) + (y >> 4)) % 2 ? 255 : 0;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = check;
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

/** One horizontal then one vertical box-blur pass, `radius` pixels each way. */
export function boxBlur(image: Image, radius: number): Image {
  const horizontal = blurPass(image, radius, 1, 0);
  return blurPass(horizontal, radius, 0, 1);
}

/** Averages each pixel with its neighbours along (dx, dy): a loop per pixel, channel and neighbour. */
function blurPass(image: Image, radius: number, dx: number, dy: number): Image {
  const { width, height } = image;
  const out = new Uint8ClampedArray(image.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        let n = 0;
        for (let k = -radius; k <= radius; k++) {
          const xx = x + k * dx;
          const yy = y + k * dy;
          if (xx < 0 || xx >= width || yy < 0 || yy >= height) continue;
          sum += image.data[(yy * width + xx) * 4 + c];
          n++;
        }
        out[(y * width + x) * 4 + c] = sum / n;
      }
    }
  }
  return { width, height, data: out };
}

/** Mean brightness (0-255) of the RGB channels. */
export function meanBrightness(image: Image): number {
  let sum = 0;
  for (let i = 0; i < image.data.length; i += 4) sum += (image.data[i] + image.data[i + 1] + image.data[i + 2]) / 3;
  return sum / (image.width * image.height);
}

/** FNV-1a over the bytes: a short fingerprint of the output. */
export function fingerprint(data: Uint8ClampedArray): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) {
    hash ^= data[i];
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
