import type { BenchResult, Row } from './types';

const HEADERS = ['Bench', 'Measure', 'tokensmith', 'Compared with', 'Ratio', 'Target', 'Result'] as const;

function cells(bench: string, row: Row): string[] {
  const result = row.status === 'met' || row.status === 'missed' ? row.status : row.status === 'info' ? '' : 'not measured';
  const withNote = row.note ? (result ? `${result}: ${row.note}` : row.note) : result;
  return [bench, row.measure, row.ours, row.versus ?? '', row.ratio ?? '', row.target ?? '', withNote];
}

/** The results as a Markdown table (readable as plain text on a terminal too). */
export function markdownTable(results: readonly BenchResult[]): string {
  const lines = results.flatMap((result) => result.rows.map((row) => cells(result.bench, row)));
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|');
  const widths = HEADERS.map((header, i) => Math.max(header.length, ...lines.map((line) => escape(line[i] ?? '').length)));
  const format = (line: readonly string[]): string =>
    `| ${line.map((cell, i) => escape(cell).padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [format(HEADERS), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}
