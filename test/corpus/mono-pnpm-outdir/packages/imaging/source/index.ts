import { mkdir } from 'node:fs/promises';
import sharp from 'sharp';
const SIZES = [64, 128, 256, 512];
export async function renditions(input: Buffer, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await sharp(input).resize(SIZES[0]).webp().toFile(`${dir}/64.webp`);
  await sharp(input).resize(SIZES[1]).webp().toFile(`${dir}/128.webp`);
  await sharp(input).resize(SIZES[2]).webp().toFile(`${dir}/256.webp`);
  await sharp(input).resize(SIZES[3]).webp().toFile(`${dir}/512.webp`);
}
