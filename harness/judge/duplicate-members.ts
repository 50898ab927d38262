// Repeated member names in a JSON text, which JSON.parse hides: shared by the ID token and JWKS judges.

const LITERAL = /true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Member names that occur more than once in one object of a JSON text: a JWT Claims Set (RFC 7519
 * 4) and a JWK or JWK Set (RFC 7517 4, 5) MUST NOT repeat one. JSON.parse keeps the last one
 * silently, so the text is scanned instead. Returns dotted paths ("address.country", "keys[0].kid"),
 * each once; throws a SyntaxError on text that is not JSON.
 */
export function duplicateMemberNames(text: string): string[] {
  const duplicates: string[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${i}`);
  };
  const space = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i;
    if (text[i] !== '"') fail('expected a string');
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        const name = string();
        const at = path ? `${path}.${name}` : name;
        if (seen.has(name)) duplicates.push(at);
        seen.add(name);
        space();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        value(at);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        value(`${path}[${index}]`);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') {
      string();
      return;
    }
    LITERAL.lastIndex = i;
    const literal = LITERAL.exec(text);
    if (!literal) fail('unexpected character');
    i += literal![0].length;
  };
  value('');
  space();
  if (i !== text.length) fail('trailing characters');
  return [...new Set(duplicates)];
}
