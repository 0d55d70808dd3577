/**
 * Base of the public objects that hold a secret or a token (auth objects, keys, stores, token
 * managers): `console.log` and `util.inspect` show the object's own `toString()`, never its fields.
 *
 * The inspect hook is a computed class member, and bundlers keep any class with a computed member
 * (evaluating the key could have side effects). Declared once here, it keeps only this small class
 * in a consumer's bundle instead of every class that prints safely, so tree-shaking can drop the
 * providers a consumer does not import.
 */
export class PrintsSafely {
  /** What Node's `util.inspect` (and so `console.log`) prints: `toString()`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
