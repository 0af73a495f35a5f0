/** Markdown helpers shared by the report's sections. */
export const table = (headers: string[], rows: (string | number)[][]) =>
  [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );
export const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');
export const n = (v: number) => v.toLocaleString('en');
export const k = (size: number) => (size >= 1000 ? `${size / 1000}k` : String(size));
