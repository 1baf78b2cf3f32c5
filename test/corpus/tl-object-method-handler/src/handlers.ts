import { createHash } from 'node:crypto';
export const handlers = {
  checksum(chunks: string[]) {
    const hash = createHash('sha256');
    for (const chunk of chunks) {
      for (let round = 0; round < 1000; round++) hash.update(chunk);
    }
    return hash.digest('hex');
  },
};
