import type { SchemeKindOf } from './create';
import type { SecuritySchemeMap, SpecSecurityMap } from './types';

/**
 * Type-level mirror of the construction check: which schemes a set of credentials still needs so
 * that every operation of a generated (`as const`) map has an alternative it can send. Only maps
 * TypeScript can read literally are checked; for others the check is left to construction (40003).
 */

/** The scheme names of one alternative (a requirement object, or a legacy list of names). */
type NamesOf<A> = A extends readonly string[] ? A[number] : keyof A & string;

/** True when tokensmith can send scheme `N` at all (an unsupported kind never counts). */
type Sendable<S extends SecuritySchemeMap, N> = N extends keyof S
  ? [SchemeKindOf<S[N]>] extends [never]
    ? false
    : [SchemeKindOf<S[N]>] extends ['http']
      ? false
      : true
  : false;

/** The alternatives of `Alts` whose every scheme tokensmith can send. */
type SendableAlternatives<S extends SecuritySchemeMap, Alts> = Alts extends unknown
  ? false extends (NamesOf<Alts> extends infer N ? (N extends unknown ? Sendable<S, N> : never) : never)
    ? never
    : Alts
  : never;

/** The schemes one operation still needs: none when it takes no auth, has `{}`, has no sendable alternative, or one is covered by `C`. */
type OperationNeeds<S extends SecuritySchemeMap, Op, C extends PropertyKey> = Op extends readonly (infer Alts)[]
  ? [SendableAlternatives<S, Alts>] extends [never]
    ? never
    : true extends (SendableAlternatives<S, Alts> extends infer A ? (A extends unknown ? ([Exclude<NamesOf<A>, C>] extends [never] ? true : false) : never) : never)
      ? never
      : SendableAlternatives<S, Alts> extends infer A
        ? A extends unknown
          ? Exclude<NamesOf<A>, C>
          : never
        : never
  : never;

/** Every scheme some operation of `M` still needs given credentials named `C` (never when complete, or when `M` is not literal). */
export type MissingCredentials<M extends SpecSecurityMap, C extends PropertyKey> = string extends keyof M['operationSecurity']
  ? never
  : string extends keyof M['securitySchemes']
    ? never
    : { [Op in keyof M['operationSecurity']]: OperationNeeds<M['securitySchemes'], M['operationSecurity'][Op], C> }[keyof M['operationSecurity']];
