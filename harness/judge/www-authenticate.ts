// WWW-Authenticate, read the way RFC 7235 writes it (4.1, 2.1): a list of challenges, each an
// auth-scheme followed by a token68 or by comma-separated auth-params whose values are tokens or
// quoted-strings. Checks judge what the parse returns (RFC 6750 3 for Bearer, RFC 6749 5.2 for
// Basic); a header that does not parse is itself evidence, so the parser says where it broke.

export interface AuthParam {
  /** As sent; compare case-insensitively (RFC 7235 2.1). */
  name: string;
  /** Unquoted and unescaped. */
  value: string;
  quoted: boolean;
}

export interface Challenge {
  scheme: string;
  params: AuthParam[];
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*(?=[ \t]*(?:,|$))/y;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  eof(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  skipWhitespace(): boolean {
    const start = this.pos;
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
    return this.pos > start;
  }

  /** Skips whitespace and empty list elements (RFC 7230 7: recipients accept `a, , b`). */
  skipSeparators(): void {
    for (;;) {
      this.skipWhitespace();
      if (this.peek() !== ',') return;
      this.pos++;
    }
  }

  token(): string | undefined {
    const start = this.pos;
    while (!this.eof() && TCHAR.test(this.peek())) this.pos++;
    return this.pos > start ? this.text.slice(start, this.pos) : undefined;
  }

  token68(): string | undefined {
    TOKEN68.lastIndex = this.pos;
    const match = TOKEN68.exec(this.text);
    if (!match) return undefined;
    this.pos += match[0].length;
    return match[0];
  }

  quoted(): string {
    if (this.peek() !== '"') this.fail('expected a quoted-string');
    this.pos++;
    let value = '';
    for (;;) {
      if (this.eof()) this.fail('unterminated quoted-string');
      const c = this.text[this.pos++]!;
      if (c === '"') return value;
      if (c === '\\') {
        if (this.eof()) this.fail('a quoted-pair ends the header');
        value += this.text[this.pos++]!;
      } else {
        value += c;
      }
    }
  }

  /** True when an auth-param (`token BWS "="`) starts here; the position is left unchanged. */
  atParam(): boolean {
    const start = this.pos;
    const name = this.token();
    this.skipWhitespace();
    const isParam = name !== undefined && this.peek() === '=';
    this.pos = start;
    return isParam;
  }

  fail(reason: string): never {
    throw new Error(`${reason} at character ${this.pos + 1} of ${JSON.stringify(this.text)}`);
  }
}

/** Every challenge in the header value (several headers joined with ", " are one list). */
export function parseChallenges(header: string): Challenge[] {
  const s: Scanner = new Scanner(header);
  const challenges: Challenge[] = [];
  s.skipSeparators();
  while (!s.eof()) {
    const scheme = s.token();
    if (scheme === undefined) s.fail('expected an auth-scheme');
    const challenge: Challenge = { scheme, params: [] };
    challenges.push(challenge);
    const spaced = s.skipWhitespace();
    // A token68 runs to the end of its list element; anything else after the space is auth-params.
    const token68 = spaced ? s.token68() : undefined;
    if (token68 !== undefined) {
      challenge.token68 = token68;
    } else if (spaced && !s.eof() && s.peek() !== ',') {
      if (!s.atParam()) s.fail('expected a token68 or an auth-param');
      for (;;) {
        const name = s.token()!;
        s.skipWhitespace();
        s.pos++; // "="
        s.skipWhitespace();
        const quoted = s.peek() === '"';
        const value = quoted ? s.quoted() : s.token();
        if (value === undefined) s.fail(`auth-param ${name} has no value`);
        challenge.params.push({ name, value, quoted });
        s.skipWhitespace();
        if (s.eof()) break;
        if (s.peek() !== ',') s.fail('expected "," between auth-params');
        s.skipSeparators();
        if (s.eof() || !s.atParam()) break; // the next challenge starts here
      }
    }
    s.skipSeparators();
  }
  return challenges;
}

/** The challenges of one scheme (compared case-insensitively, RFC 7235 2.1). */
export function challengesOf(challenges: Challenge[], scheme: string): Challenge[] {
  return challenges.filter((c) => c.scheme.toLowerCase() === scheme.toLowerCase());
}

/** Every value of the named auth-param (names compare case-insensitively). */
export function paramValues(challenge: Challenge, name: string): string[] {
  return challenge.params.filter((p) => p.name.toLowerCase() === name.toLowerCase()).map((p) => p.value);
}
