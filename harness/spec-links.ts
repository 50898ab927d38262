// Spec references (OIDCC-3.1.3.7, RFC6749-5.2) as links to the published text: the Allure
// report and the generated docs page both point readers at the clause a check enforces.

/** OpenID Foundation documents by the prefix REQUIREMENTS.md uses; their HTML has rfc.section.N anchors. */
const OPENID_SPECS: Array<[prefix: string, url: string]> = [
  ['OIDCC', 'https://openid.net/specs/openid-connect-core-1_0.html'],
  ['OIDCD', 'https://openid.net/specs/openid-connect-discovery-1_0.html'],
  ['OIDCRIL', 'https://openid.net/specs/openid-connect-rpinitiated-1_0.html'],
  ['OAuth2-RT', 'https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html'],
  ['OAuth2-FP', 'https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html'],
];

/** The public URL of a spec clause, or undefined for a prefix this table does not know. */
export function specUrl(ref: string): string | undefined {
  const rfc = /^RFC(\d+)-(.+)$/.exec(ref);
  if (rfc) {
    const [, number = '', section = ''] = rfc;
    // rfc-editor.org anchors: #section-5.2, and #appendix-A.5 for appendices.
    return `https://www.rfc-editor.org/rfc/rfc${number}#${/^[A-Z]/.test(section) ? 'appendix' : 'section'}-${section}`;
  }
  for (const [prefix, url] of OPENID_SPECS) {
    if (ref.startsWith(`${prefix}-`)) return `${url}#rfc.section.${ref.slice(prefix.length + 1)}`;
  }
  return undefined;
}
