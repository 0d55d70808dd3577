/**
 * Compares two strings in time that depends only on `expected`'s length: every code unit of
 * `expected` is compared, with no early exit, and when the lengths differ it still runs the
 * same loop (over `expected` against itself) before answering false. Equal code units are equal
 * strings, so this answers what a byte compare of their UTF-8 would, without encoding either
 * (two Buffers per call were a visible share of a token request).
 */
export function constantTimeEqual(expected: string, actual: string): boolean {
  const sameLength = actual.length === expected.length;
  const other = sameLength ? actual : expected;
  let difference = sameLength ? 0 : 1;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ other.charCodeAt(i);
  return difference === 0;
}
