import type { OpenApiDocument } from '../../generate/document';
import { resolveRef } from '../../generate/refs';
import type { Json } from './json-schema';
import type { ServedOperation } from './operations';
import type { MockAnswer } from './respond';
import type { ResourceStore } from './resource-store';

type Resource = { [key: string]: Json };

/** What an operation does to the store in `--stateful` mode. */
export type StateRole = 'create' | 'list' | 'read' | 'replace' | 'update' | 'delete';

/** How an operation takes part in the store, worked out once from the spec. */
export interface StatePlan {
  role: StateRole;
  /** The property holding a resource's id (`id`, else the item path's parameter name). */
  idField: string;
  /** Query parameters the operation declares for paging, by kind. */
  paging: { offset?: string; page?: string; limit?: string; defaultLimit?: number };
}

const OFFSET_NAMES = ['offset', 'first', 'start', 'skip', 'from'];
const PAGE_NAMES = ['page', 'pageNumber', 'page_number'];
const LIMIT_NAMES = ['limit', 'per_page', 'perPage', 'pageSize', 'page_size', 'size', 'count', 'max', 'maxResults', 'top'];
const TOTAL_NAMES = ['total', 'totalCount', 'total_count', 'count', 'totalItems'];

/**
 * The role of each operation: a path with a sibling `…/{id}` path is a collection (`POST`
 * creates, `GET` lists); the `…/{id}` path is its item (`GET` reads, `PUT` replaces, `PATCH`
 * updates, `DELETE` removes). Other operations keep their plain mock answers.
 */
export function planState(operations: readonly ServedOperation[]): Map<ServedOperation, StatePlan> {
  const plans = new Map<ServedOperation, StatePlan>();
  const templates = new Set(operations.map((op) => `${op.specIndex} ${op.template}`));
  const itemParam = (template: string) => /\/\{([^}/]+)\}$/.exec(template)?.[1];
  for (const op of operations) {
    const param = itemParam(op.template);
    const collectionTemplate = param === undefined ? op.template : op.template.slice(0, op.template.lastIndexOf('/'));
    const sibling = operations.find((other) => other.specIndex === op.specIndex && itemParam(other.template) !== undefined && other.template.slice(0, other.template.lastIndexOf('/')) === collectionTemplate);
    let role: StateRole | undefined;
    if (param === undefined && sibling !== undefined) role = op.method === 'POST' ? 'create' : op.method === 'GET' ? 'list' : undefined;
    else if (param !== undefined && templates.has(`${op.specIndex} ${collectionTemplate}`)) {
      role = ({ GET: 'read', PUT: 'replace', PATCH: 'update', DELETE: 'delete' } as const)[op.method as 'GET'];
    }
    if (role === undefined) continue;
    const itemName = param ?? itemParam(sibling!.template)!;
    plans.set(op, { role, idField: idFieldOf(op, itemName), paging: pagingOf(op) });
  }
  return plans;
}

function idFieldOf(op: ServedOperation, itemName: string): string {
  const names = propertyNames(op.doc, successSchema(op));
  if (names.includes('id')) return 'id';
  if (names.includes(itemName)) return itemName;
  return names.find((name) => /(Id|_id)$/.test(name)) ?? 'id';
}

function pagingOf(op: ServedOperation): StatePlan['paging'] {
  const query = op.parameters.filter((p) => p.in === 'query');
  const find = (names: string[]) => query.find((p) => names.includes(p.name));
  const limit = find(LIMIT_NAMES);
  const limitDefault = (resolveRef(op.doc, limit?.schema) as { default?: unknown } | undefined)?.default;
  return {
    ...(find(OFFSET_NAMES) ? { offset: find(OFFSET_NAMES)!.name } : {}),
    ...(find(PAGE_NAMES) ? { page: find(PAGE_NAMES)!.name } : {}),
    ...(limit ? { limit: limit.name } : {}),
    ...(typeof limitDefault === 'number' ? { defaultLimit: limitDefault } : {}),
  };
}

function successSchema(op: ServedOperation): unknown {
  const responses = (op.operation.responses ?? {}) as Record<string, unknown>;
  const key = Object.keys(responses).filter((k) => /^2/.test(k)).sort()[0];
  const response = resolveRef(op.doc, key === undefined ? undefined : responses[key]) as { content?: Record<string, { schema?: unknown }> } | undefined;
  const media = Object.entries(response?.content ?? {}).find(([type]) => /json/i.test(type))?.[1];
  let schema = resolveRef(op.doc, media?.schema) as { type?: unknown; items?: unknown } | undefined;
  if (schema?.type === 'array') schema = resolveRef(op.doc, schema.items) as typeof schema;
  return schema;
}

function propertyNames(doc: OpenApiDocument, schema: unknown, depth = 0): string[] {
  const resolved = resolveRef(doc, schema) as { properties?: object; allOf?: unknown[]; oneOf?: unknown[]; anyOf?: unknown[] } | undefined;
  if (!resolved || typeof resolved !== 'object' || depth > 6) return [];
  return [
    ...Object.keys(resolved.properties ?? {}),
    ...(resolved.allOf ?? []).flatMap((part) => propertyNames(doc, part, depth + 1)),
    ...[resolved.oneOf?.[0], resolved.anyOf?.[0]].filter((part) => part !== undefined).flatMap((part) => propertyNames(doc, part, depth + 1)),
  ];
}

/** The request's parts the store reads. */
export interface StateRequest {
  /** URL path without the query, e.g. `/api/v1/customers/7`. */
  path: string;
  /** The item id (the last path parameter), for item operations. */
  id?: string;
  query: Record<string, unknown>;
  body: unknown;
}

/**
 * Applies an operation to the store and answers: the created, read or updated resource in the
 * mock answer's place, a page of the collection for a list, 404 for an id the store does not
 * hold, 413 for a resource larger than the whole store.
 */
export function applyState(plan: StatePlan, store: ResourceStore, request: StateRequest, answer: MockAnswer): MockAnswer {
  const { role, idField } = plan;
  const path = request.path.replace(/\/+$/, '');
  const collection = role === 'create' || role === 'list' ? path : path.slice(0, path.lastIndexOf('/'));
  const notFound = (): MockAnswer => ({ status: 404, contentType: 'application/json', body: { code: 404, message: 'no resource with that id in this collection' }, headers: {} });
  const tooLarge: MockAnswer = { status: 413, contentType: 'application/json', body: { code: 413, message: 'the resource is larger than the server state may hold (limits.maxStateBytes)' }, headers: {} };
  const body = isResource(request.body) ? request.body : {};
  const template = isResource(answer.body) ? answer.body : {};
  switch (role) {
    case 'create': {
      const supplied = body[idField];
      const id = supplied !== undefined && supplied !== null && typeof supplied !== 'object' ? supplied : newIdLike(template[idField], store.newId());
      const resource: Resource = { ...template, ...body, [idField]: id };
      if (!store.put(collection, String(id), resource)) return tooLarge;
      return { ...answer, contentType: answer.contentType ?? 'application/json', body: resource };
    }
    case 'read': {
      const resource = store.get(collection, request.id!);
      return resource ? { ...answer, body: resource } : notFound();
    }
    case 'replace':
    case 'update': {
      const existing = store.get(collection, request.id!);
      if (!existing && role === 'update') return notFound();
      const base = role === 'update' ? existing! : template;
      const resource: Resource = { ...base, ...body, [idField]: existing?.[idField] ?? idLike(template[idField], request.id!) };
      if (!store.put(collection, request.id!, resource)) return tooLarge;
      return answer.contentType === undefined ? answer : { ...answer, body: resource };
    }
    case 'delete':
      return store.delete(collection, request.id!) ? answer : notFound();
    case 'list':
      return { ...answer, body: pageInto(answer.body, page(plan, store.list(collection), request.query)) };
  }
}

function page(plan: StatePlan, items: Resource[], query: Record<string, unknown>): { items: Resource[]; total: number } {
  const number = (name: string | undefined) => {
    const value = name === undefined ? undefined : Number(query[name]);
    return value !== undefined && Number.isFinite(value) ? Math.max(0, Math.floor(value)) : undefined;
  };
  const limit = number(plan.paging.limit) ?? plan.paging.defaultLimit ?? items.length;
  const pageNumber = number(plan.paging.page);
  const offset = number(plan.paging.offset) ?? (pageNumber !== undefined ? Math.max(0, pageNumber - 1) * limit : 0);
  return { items: items.slice(offset, offset + limit), total: items.length };
}

/** Puts a page where the answer keeps its list: the answer itself, or its first array property. */
function pageInto(template: Json | undefined, { items, total }: { items: Resource[]; total: number }): Json {
  if (!isResource(template)) return items;
  const listKey = Object.keys(template).find((key) => Array.isArray(template[key]));
  const result: Resource = { ...template, [listKey ?? 'items']: items };
  for (const key of TOTAL_NAMES) if (typeof template[key] === 'number') result[key] = total;
  return result;
}

function isResource(value: unknown): value is Resource {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A new id shaped like the generated one: a number, a UUID, or text. */
function newIdLike(example: Json | undefined, n: number): Json {
  if (typeof example === 'number') return n;
  if (typeof example === 'string' && UUID.test(example)) return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  return String(n);
}

/** The path's id in the type the resource uses. */
function idLike(example: Json | undefined, id: string): Json {
  return typeof example === 'number' && /^-?\d+$/.test(id) ? Number(id) : id;
}
