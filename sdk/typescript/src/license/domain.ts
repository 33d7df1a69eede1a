/**
 * The one normalization of instance domains: lower case, without scheme, path, port or trailing dot
 * (`HTTPS://Tools.Acme.example./x` becomes `tools.acme.example`). Throws a TypeError when nothing like a host
 * name is left.
 */
export function normalizeDomain(raw: string): string {
  let s = raw.trim().toLowerCase();
  const scheme = s.indexOf("://");
  if (scheme >= 0) s = s.slice(scheme + 3);
  const slash = s.indexOf("/");
  if (slash >= 0) s = s.slice(0, slash);
  const colon = s.lastIndexOf(":");
  if (colon >= 0) s = s.slice(0, colon);
  while (s.endsWith(".")) s = s.slice(0, -1);
  if (s.length === 0 || s.length > 253 || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(s)) {
    throw new TypeError(`not a host name: '${raw}'`);
  }
  return s;
}
