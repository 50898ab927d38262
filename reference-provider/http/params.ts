// Request parameters as OAuth sees them: a parameter sent with an empty value counts as absent
// (RFC 6749 3.1, 3.2), and a repeated parameter is remembered so the request can be refused.

export class Params {
  private constructor(private readonly values: Map<string, string[]>) {}

  static parse(text: string | undefined): Params {
    const values = new Map<string, string[]>();
    for (const [name, value] of new URLSearchParams(text ?? '')) {
      const list = values.get(name);
      if (list) list.push(value);
      else values.set(name, [value]);
    }
    return new Params(values);
  }

  static empty(): Params {
    return new Params(new Map());
  }

  /** The value, or undefined when absent or empty. */
  get(name: string): string | undefined {
    const value = this.values.get(name)?.[0];
    return value === '' ? undefined : value;
  }

  /** Every non-empty value of a repeatable parameter (WebFinger's rel, RFC 7033 4.1). */
  all(name: string): string[] {
    return (this.values.get(name) ?? []).filter((v) => v !== '');
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Names sent more than once with a non-empty value. */
  duplicated(): string[] {
    return [...this.values].filter(([, list]) => list.filter((v) => v !== '').length > 1).map(([name]) => name);
  }

  names(): string[] {
    return [...this.values.keys()].filter((name) => this.has(name));
  }

  /** A copy where the given values replace these (request-object parameters override the query, OIDC Core 6.3.3). */
  overriddenBy(entries: Record<string, string>): Params {
    const values = new Map(this.values);
    for (const [name, value] of Object.entries(entries)) values.set(name, [value]);
    return new Params(values);
  }

  /** A copy that also holds the other's parameters (for the query-credentials compatibility switch). */
  mergedWith(other: Params): Params {
    const values = new Map(this.values);
    for (const [name, list] of other.values) values.set(name, [...(values.get(name) ?? []), ...list]);
    return new Params(values);
  }
}

/** The query string of a raw request URL ('' when none). */
export function queryOf(rawUrl: string | undefined): string {
  const index = (rawUrl ?? '').indexOf('?');
  return index === -1 ? '' : (rawUrl ?? '').slice(index + 1);
}
