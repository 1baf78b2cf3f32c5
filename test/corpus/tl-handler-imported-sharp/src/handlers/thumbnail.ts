import sharp from 'sharp';
export async function thumbnail(input: string, width: number): Promise<string> {
  const out = input.replace(/\.(\w+)$/, `.${width}.webp`);
  await sharp(input).resize(width).webp({ quality: 80 }).toFile(out);
  return out;
}
