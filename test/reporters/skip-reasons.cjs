/**
 * A jest reporter that says, after the summary, why tests were skipped. Jest shows nothing of a
 * file whose tests are all skipped (not even its console output) beyond a count, so a suite that
 * skips for a reason puts the reason in its describe title, `name [skipped: reason]`, and this
 * reporter prints one line per reason with how many tests and files it cost.
 */
const MARK = /\[skipped: (.+)\]$/;

class SkipReasonsReporter {
  onRunComplete(_testContexts, results) {
    const byReason = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'pending') continue;
        const reason = test.ancestorTitles.map((title) => MARK.exec(title)?.[1]).find((found) => found !== undefined);
        if (reason === undefined) continue;
        const entry = byReason.get(reason) ?? { tests: 0, files: new Set() };
        entry.tests += 1;
        entry.files.add(file.testFilePath);
        byReason.set(reason, entry);
      }
    }
    for (const [reason, { tests, files }] of byReason) {
      const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;
      process.stderr.write(`\nSKIPPED ${plural(tests, 'test')} in ${plural(files.size, 'file')}: ${reason}\n`);
    }
  }
}

module.exports = SkipReasonsReporter;
