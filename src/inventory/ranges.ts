// Host patterns as an inventory writes them: `web[01:20].example.com`, `db-[a:c]`, `node[1:10:2]`, each with an
// optional `:port`. The port and the ranges are read the way Ansible reads them (parse_address and
// expand_hostname_range), so the same pattern gives the same hosts; a bad range is an error, said here in words
// and placed by the caller.

// Ansible's parse_address, in JavaScript syntax. A range may stand wherever a name's characters may.
const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const IPV6_PART = `(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const IPV4_PART = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
// Python's \w under re.UNICODE: letters, digits and the underscore of any script.
const WORD = String.raw`[\p{L}\p{N}_]`;
const LABEL = `(?:${WORD}|${ALNUM_RANGE})(?:[\\p{L}\\p{N}_-]|${ALNUM_RANGE})*(?<![_-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const IPV4 = new RegExp(`^(?:${IPV4_PART}\\.){3}${IPV4_PART}$`, 'iu');
const IPV6 = new RegExp(
  `^(?:${[
    `(?:${IPV6_PART}:){7}${IPV6_PART}`,
    `(?:${IPV6_PART}:){1,6}:`,
    `(?:${IPV6_PART}:)(?::${IPV6_PART}){1,6}`,
    `(?:${IPV6_PART}:){2}(?::${IPV6_PART}){1,5}`,
    `(?:${IPV6_PART}:){3}(?::${IPV6_PART}){1,4}`,
    `(?:${IPV6_PART}:){4}(?::${IPV6_PART}){1,3}`,
    `(?:${IPV6_PART}:){5}(?::${IPV6_PART}){1,2}`,
    `(?:${IPV6_PART}:){6}(?::${IPV6_PART})`,
    `:(?::${IPV6_PART}){1,6}`,
    `${IPV6_PART}?::`,
    `(?:0:){6}(?:${IPV6_PART}\\.){3}${IPV6_PART}`,
    `::(?:ffff:)?(?:${IPV6_PART}\\.){3}${IPV6_PART}`,
    `(?:0:){5}ffff:(?:${IPV6_PART}\\.){3}${IPV6_PART}`,
  ].join('|')})$`,
  'iu',
);
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`, 'iu');

/** Whether a name is an IP address (Ansible's own test, ranges allowed). */
function isIpAddress(name: string): boolean {
  return IPV4.test(name) || IPV6.test(name);
}

/**
 * Ansible's parse_address (ranges allowed): the host and port of `text` when it is a host name, an IPv4
 * address or a bracketed IPv6 address with an optional `:port`; undefined when it is none of those.
 */
export function parseAddress(text: string): { host: string; port?: number } | undefined {
  let host = text;
  let port: number | undefined;
  for (const re of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = re.exec(host);
    if (m) {
      host = m[1]!;
      port = Number(m[2]);
    }
  }
  if (!isIpAddress(host) && !HOSTNAME.test(host)) return undefined;
  return port === undefined ? { host } : { host, port };
}

export type HostPattern = { names: string[]; port?: number } | { error: string };

/** The host names and port a host pattern stands for, or why it stands for none. */
export function expandHostPattern(pattern: string): HostPattern {
  // What is no valid address is a name as written, without a port (as Ansible takes it).
  const { host, port } = parseAddress(pattern) ?? { host: pattern };
  if (port === undefined && pattern.trim().endsWith(':')) {
    return { error: `"${pattern}" ends in ':' with no port after it (a port is written host:22)` };
  }
  const names = host.includes('[') ? expandRanges(host) : [host];
  if ('error' in names) return names;
  if (names.some((n) => n.trim() === '---')) {
    return { error: `"${pattern}" is no host name: '---' starts a YAML document, so this file is probably YAML` };
  }
  return port === undefined ? { names } : { names, port };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Ansible's expand_hostname_range: the first `[...]` is expanded, then the rest of each result, recursively. */
function expandRanges(line: string): string[] | { error: string } {
  const open = line.indexOf('[');
  const close = line.indexOf(']', open);
  const bad = (why: string): { error: string } => ({ error: `bad host range in "${line}": ${why}` });
  if (close < 0) {
    return bad("a range is written [begin:end] or [begin:end:step], with its closing ']'");
  }
  const head = line.slice(0, open);
  const tail = line.slice(close + 1);
  const bounds = line.slice(open + 1, close).split(':');
  if (bounds.length !== 2 && bounds.length !== 3) return bad('a range is [begin:end] or [begin:end:step]');
  const beg = bounds[0] || '0';
  const end = bounds[1]!;
  const stepText = bounds[2] ?? '1';
  if (!end) return bad('a range needs an end value');
  if (!/^[+-]?\d+$/.test(stepText.trim()) || Number(stepText) <= 0) return bad(`the step "${stepText}" is not a whole number above 0`);
  const step = Number(stepText);
  const width = beg.startsWith('0') && beg.length > 1 ? beg.length : 0;
  if (width && width !== end.length) return bad('with leading zeros, begin and end must have the same number of digits');
  const fill = (x: string): string => x.padStart(width, '0');
  let seq: string[];
  const [ib, ie] = [LETTERS.indexOf(beg), LETTERS.indexOf(end)];
  if (beg.length === 1 && end.length === 1 && ib >= 0 && ie >= 0) {
    if (ib > ie) return bad('the range must have begin <= end');
    seq = [];
    for (let k = ib; k <= ie; k += step) seq.push(LETTERS[k]!);
  } else {
    if (!/^[+-]?\d+$/.test(beg.trim()) || !/^[+-]?\d+$/.test(end.trim())) {
      return bad('begin and end are both numbers or both single letters');
    }
    if (Number(beg) > Number(end)) return bad('the range must have begin <= end');
    seq = [];
    for (let k = Number(beg); k <= Number(end); k += step) seq.push(String(k));
  }
  const out: string[] = [];
  for (const x of seq) {
    const name = head + fill(x) + tail;
    if (!name.includes('[')) {
      out.push(name);
      continue;
    }
    const more = expandRanges(name);
    if ('error' in more) return more;
    out.push(...more);
  }
  return out;
}
