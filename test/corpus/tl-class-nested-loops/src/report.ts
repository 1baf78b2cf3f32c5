export class PivotTable {
  constructor(private readonly rows: Array<{ region: string; month: number; amount: number }>) {}
  build(): number[][] {
    const regions = [...new Set(this.rows.map((r) => r.region))];
    const table = regions.map(() => new Array(12).fill(0));
    for (let i = 0; i < regions.length; i++) {
      for (const row of this.rows) {
        if (row.region === regions[i]) table[i][row.month] += row.amount;
      }
    }
    return table;
  }
}
