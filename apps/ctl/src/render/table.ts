// Aligned text columns: a header row and data rows, two spaces apart, no trailing blanks.
/** Paints one padded data cell (colour); column index, the cell's text, the cell padded. */
export type CellPainter = (column: number, cell: string, padded: string) => string;

/** Columns padded to their widest cell; the last column is never padded. `paint` decorates data cells after padding. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], paint?: CellPainter): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[], p?: CellPainter): string =>
    cells
      .map((c, i) => {
        const padded = i === cells.length - 1 ? c : c.padEnd(widths[i]!);
        return p ? p(i, c, padded) : padded;
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map((r) => line(r, paint))];
}
