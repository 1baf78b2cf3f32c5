export function similarityMatrix(vectors: number[][]): number[][] {
  const out: number[][] = [];
  for (const a of vectors) {
    const row: number[] = [];
    for (const b of vectors) {
      let dot = 0;
      for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
      row.push(dot);
    }
    out.push(row);
  }
  return out;
}
