import fc from 'fast-check';
import { median, percentile } from '../../bench/lib/stats';
import { markdownTable } from '../../bench/lib/table';

describe('bench percentile', () => {
  it('is nearest-rank: at least p % of the values are at or below it, and it is one of them', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 100 }), (values, p) => {
        const value = percentile(values, p);
        expect(values).toContain(value);
        expect(values.filter((v) => v <= value).length).toBeGreaterThanOrEqual(Math.ceil((p / 100) * values.length));
        expect(values.filter((v) => v < value).length).toBeLessThan(Math.ceil((p / 100) * values.length));
      }),
    );
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 99)).toBeNaN();
  });
});

describe('bench table', () => {
  it('has one line per row plus the header and rule, each with the same number of cells', () => {
    const table = markdownTable([
      { bench: 'a', rows: [{ measure: 'x | y', ours: '1', status: 'met' }, { measure: 'z', ours: '2', status: 'not measured', note: 'missing' }], figures: {}, notes: [] },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    const cells = (line: string): number => line.split(/(?<!\\)\|/).length;
    expect(new Set(lines.map(cells)).size).toBe(1);
    expect(lines[3]).toContain('not measured: missing');
  });
});
