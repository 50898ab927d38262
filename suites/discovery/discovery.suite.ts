// Discovery: fetch the configuration (and the RFC 8414 metadata) once, then judge it.
import { createSuite } from '../../harness/suite.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('discovery');
const CORS_ORIGIN = 'https://rp.example.org';

const configuration = suite.step('fetch the configuration', async ({ target, http }) => {
  target.metadata(); // ERROR at once when the preflight could not reach the target
  return http.send({ method: 'GET', url: target.discoveryUrl, headers: { origin: CORS_ORIGIN }, label: 'discovery' });
});

const metadata = async () => {
  const exchange = await configuration();
  judge.judgeServed(exchange);
  return { exchange, metadata: exchange.response!.json as judge.Metadata, exchanges: [exchange.id] };
};

suite.check(check.served, async () => {
  const exchange = await configuration();
  judge.judgeServed(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.issuerMatches, async ({ target }) => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeIssuerMatches(m, target.issuer, exchanges);
  return { exchanges };
});

suite.check(check.requiredMembers, async () => {
  const { exchange, metadata: m, exchanges } = await metadata();
  judge.judgeRequiredMembers(exchange, m);
  return { exchanges };
});

suite.check(check.rs256Supported, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeRs256(m, exchanges);
  return { exchanges };
});

suite.check(check.noEmptyArrays, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeNoEmptyArrays(m, exchanges);
  return { exchanges };
});

suite.check(check.issuerHttps, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeHttpsUrl('issuer', m.issuer, exchanges, false);
  return { exchanges };
});

suite.check(check.endpointsHttps, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeEndpointsHttps(m, exchanges);
  return { exchanges };
});

suite.check(check.endpointsAnswer, async ({ http }) => {
  const { metadata: m } = await metadata();
  const cited: string[] = [];
  for (const member of judge.ENDPOINT_MEMBERS) {
    if (typeof m[member] !== 'string') continue;
    const exchange = await http.send({ method: 'GET', url: m[member], label: `discovery: probe ${member}` });
    cited.push(exchange.id);
    judge.judgeEndpointAnswered(member, exchange);
  }
  return { exchanges: cited, message: `${cited.length} advertised endpoints answer` };
});

suite.check(check.openidScope, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeOpenidScope(m, exchanges);
  return { exchanges };
});

suite.check(check.userinfoAdvertised, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeMemberPresent(m, 'userinfo_endpoint', exchanges);
  return { exchanges };
});

suite.check(check.claimsSupported, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeMemberPresent(m, 'claims_supported', exchanges);
  return { exchanges };
});

suite.check(check.booleanFlags, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeBooleanFlags(m, exchanges);
  return { exchanges };
});

suite.check(check.authSigningAlgs, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeAuthSigningAlgs(m, exchanges);
  return { exchanges };
});

suite.check(check.pkceMethods, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgePkceMethods(m, exchanges);
  return { exchanges };
});

suite.check(check.cors, async () => {
  const exchange = await configuration();
  judge.judgeCors(exchange, CORS_ORIGIN);
  return { exchanges: [exchange.id] };
});

suite.check(check.rfc8414Consistent, async ({ target, http }) => {
  const { metadata: m, exchanges } = await metadata();
  const as = await http.send({ method: 'GET', url: judge.rfc8414Url(target.issuer), label: 'RFC 8414 metadata' });
  judge.judgeRfc8414(as, m, target.issuer);
  return { exchanges: [...exchanges, as.id] };
});
