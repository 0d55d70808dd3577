/**
 * Reads a folder of generated markdown pages the way a reader's renderer does (markdown-it,
 * CommonMark plus tables) and lists what would read badly: broken relative links, HTML entities
 * shown literally, Java type names, indented code blocks and empty tables.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';

export type ProblemKind = 'broken-link' | 'html-entity' | 'java-type' | 'indented-code' | 'empty-table';

export interface Problem {
  kind: ProblemKind;
  /** Page path relative to the docs folder. */
  page: string;
  detail: string;
}

export interface Page {
  file: string;
  source: string;
  tokens: Token[];
  anchors: Set<string>;
}

const markdown = new MarkdownIt({ html: true });
type Token = ReturnType<MarkdownIt['parse']>[number];
const ENTITY = /&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi;
const JAVA_WORD = /\b(String|Long|Integer|Date|BigDecimal|Object|Boolean|Double|Float|AnyType|oas_any_type_not_mapped)\b|\b(List|Map|Set)</;

/** Every `.md` file under `dir`, parsed. */
export function readPages(dir: string): Page[] {
  return listMarkdown(path.resolve(dir)).map((file) => {
    const source = readFileSync(file, 'utf8');
    const tokens = markdown.parse(source, {});
    return { file, source, tokens, anchors: anchorsOf(tokens) };
  });
}

/** Every problem on every page under `dir`. */
export function findProblems(dir: string): Problem[] {
  const pages = readPages(dir);
  const byFile = new Map(pages.map((page) => [page.file, page]));
  return pages.flatMap((page) => pageProblems(page, byFile, path.resolve(dir)));
}

function pageProblems(page: Page, byFile: Map<string, Page>, dir: string): Problem[] {
  const problems: Problem[] = [];
  const add = (kind: ProblemKind, detail: string) => problems.push({ kind, page: path.relative(dir, page.file), detail });

  // Entities are decoded in text, so look at the source: a page should never need one.
  for (const match of page.source.matchAll(ENTITY)) add('html-entity', match[0]);

  let rowsInTable = -1;
  for (const token of flatten(page.tokens)) {
    if (token.type === 'code_block') add('indented-code', firstLine(token.content));
    if (token.type === 'table_open') rowsInTable = 0;
    if (token.type === 'tr_open' && rowsInTable >= 0) rowsInTable += 1;
    if (token.type === 'table_close') {
      if (rowsInTable <= 1) add('empty-table', 'a table with a header row and no body rows');
      rowsInTable = -1;
    }
    if (token.type === 'link_open') {
      const broken = brokenLink(token.attrGet('href') ?? '', page, byFile);
      if (broken) add('broken-link', broken);
    }
    const javaType = javaTypeIn(token);
    if (javaType) add('java-type', javaType);
  }
  return problems;
}

/** Why a relative link does not resolve, or undefined when it does (or is not relative). */
function brokenLink(href: string, page: Page, byFile: Map<string, Page>): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return undefined;
  const [target = '', fragment] = href.split('#', 2);
  const file = target === '' ? page.file : path.resolve(path.dirname(page.file), decodeURIComponent(target));
  if (!existsSync(file)) return `${href}: no such file`;
  if (fragment === undefined || fragment === '') return undefined;
  const anchors = byFile.get(file)?.anchors;
  if (!anchors) return `${href}: the fragment points into a file that is not a docs page`;
  return anchors.has(decodeURIComponent(fragment)) ? undefined : `${href}: no heading or anchor "${fragment}"`;
}

/** A Java type name where a type is shown: code, a bold type cell, a link label; or `[default to null]`. */
function javaTypeIn(token: Token): string | undefined {
  if (token.type === 'code_inline' || token.type === 'fence') {
    const match = JAVA_WORD.exec(token.content);
    return match ? `${match[0]} in \`${firstLine(token.content)}\`` : undefined;
  }
  if (token.type === 'text') {
    if (token.content.includes('[default to null]')) return '[default to null]';
    const bare = token.content.trim();
    if (/^(String|Long|Integer|Date|BigDecimal|Object|Boolean|Double|Float|Map|List|Set|AnyType)$/.test(bare)) return bare;
    const generic = /\b(List|Map|Set)<|\bAnyType\b/.exec(bare);
    if (generic) return `${generic[0]} in "${firstLine(bare)}"`;
  }
  return undefined;
}

/** GitHub-style heading ids (with -1, -2 for repeats) plus `<a name>`/`id` anchors in raw HTML. */
function anchorsOf(tokens: Token[]): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  tokens.forEach((token, index) => {
    if (token.type === 'heading_open') {
      const text = (tokens[index + 1]?.children ?? []).map((child) => child.content).join('');
      const slug = text.toLowerCase().trim().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
  });
  for (const token of flatten(tokens)) {
    if (token.type === 'html_block' || token.type === 'html_inline') {
      for (const match of token.content.matchAll(/<a\s[^>]*(?:name|id)="([^"]+)"/g)) anchors.add(match[1]!);
    }
  }
  return anchors;
}

function flatten(tokens: Token[]): Token[] {
  return tokens.flatMap((token) => [token, ...flatten(token.children ?? [])]);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]!.slice(0, 80);
}

function listMarkdown(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return listMarkdown(full);
      return name.endsWith('.md') ? [full] : [];
    });
}
