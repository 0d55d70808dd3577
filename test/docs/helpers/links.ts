/**
 * Links of a markdown page as GitHub renders it: the targets of its inline links (outside code),
 * and GitHub's ids for its headings, which `#anchor` links must match.
 */

/** The text outside fenced code blocks and inline code spans. */
export function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/**
 * The anchors of a file: GitHub's ids for its headings (lower case, punctuation dropped, spaces to
 * hyphens, repeats numbered) and the ids of its `<a id="…">` / `<a name="…">` tags.
 */
export function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, text] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const base = text!.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    ids.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const [, id] of markdown.matchAll(/<a (?:id|name)="([^"]+)"/g)) ids.add(id!);
  return ids;
}

/** The target of every inline link `[text](target)`. */
export function links(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
}
