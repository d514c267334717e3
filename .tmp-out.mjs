// .try.ts
import { readFileSync } from "node:fs";

// src/policy/load.ts
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml";
var CORE_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`)
);
function loadPolicyText(text, file) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, logLevel: "silent" });
  const loaded = { file, doc, lineCounter, value: void 0, issues: [] };
  const at = (offset, message) => {
    const { line, column } = linePos(loaded, offset);
    loaded.issues.push({ file, line, column, message });
  };
  for (const err of [...doc.errors, ...doc.warnings]) {
    const offset = err.pos[0];
    if (err.code === "DUPLICATE_KEY") at(offset, duplicateKeyMessage(doc, text, loaded, offset));
    else at(offset, `invalid YAML: ${oneLine(err.message)}`);
  }
  if (loaded.issues.length > 0) return loaded;
  visit(doc, {
    Node(_key, node) {
      const tag = node.tag;
      if (tag !== void 0 && !CORE_TAGS.has(tag)) {
        at(node.range?.[0] ?? 0, `unsupported YAML tag ${tag.replace("tag:yaml.org,2002:", "!!")}; policies hold plain strings, numbers, booleans, lists and maps`);
      }
    },
    Pair(_key, pair) {
      if (isCollection(pair.key)) at(pair.key.range?.[0] ?? 0, "a list or map cannot be a key; keys are plain strings");
    }
  });
  if (loaded.issues.length > 0) return loaded;
  try {
    loaded.value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    let offset = 0;
    visit(doc, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      }
    });
    at(offset, `invalid YAML: ${oneLine(e.message)}`);
  }
  return loaded;
}
function oneLine(s) {
  return s.replace(/\s+/g, " ").trim();
}
function linePos(loaded, offset) {
  const { line, col } = loaded.lineCounter.linePos(Math.max(0, offset));
  return { line: Math.max(1, line), column: Math.max(1, col) };
}
function nodeAt(doc, path) {
  let node = doc.contents;
  let pair;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const found = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!found) return { node, exact: false };
      pair = found;
      node = isNodeWithRange(found.value) ? found.value : found.key;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!isNodeWithRange(item)) return { node, exact: false };
      pair = void 0;
      node = item;
    } else {
      return { node: isNodeWithRange(node) ? node : null, exact: false };
    }
  }
  return { node: isNodeWithRange(node) ? node : null, ...pair ? { pair } : {}, exact: true };
}
function isNodeWithRange(n) {
  return (isScalar(n) || isCollection(n) || isAlias(n)) && Array.isArray(n.range);
}
function posAt(loaded, path, opts = {}) {
  const { node, exact } = nodeAt(loaded.doc, path);
  if (opts.key !== void 0 && exact && isMap(node)) {
    const p = node.items.find((it) => isScalar(it.key) && String(it.key.value) === opts.key);
    if (p && isNodeWithRange(p.key) && p.key.range) return linePos(loaded, p.key.range[0]);
  }
  return linePos(loaded, node?.range?.[0] ?? 0);
}
function issueAt(loaded, path, message, opts = {}) {
  return { file: loaded.file, ...posAt(loaded, path, opts), message };
}
function duplicateKeyMessage(doc, text, loaded, offset) {
  let message = "duplicate key";
  visit(doc, {
    Map(_key, map) {
      const idx = map.items.findIndex((p) => isScalar(p.key) && p.key.range?.[0] === offset);
      if (idx < 0) return void 0;
      const dup = map.items[idx];
      if (!dup || !isPair(dup) || !isScalar(dup.key)) return void 0;
      const name = String(dup.key.value);
      const first = map.items.slice(0, idx).find((p) => isScalar(p.key) && String(p.key.value) === name);
      message = `duplicate key "${name}"`;
      if (first && isScalar(first.key) && first.key.range) {
        message += `; first defined on line ${linePos(loaded, first.key.range[0]).line}`;
      }
      return visit.BREAK;
    }
  });
  if (message === "duplicate key") {
    const word = /^[^\s:]+/.exec(text.slice(offset))?.[0];
    if (word) message += ` "${word}"`;
  }
  return message;
}

// src/policy/generated/policy-validator.js
import __ajvRuntime0 from "ajv/dist/runtime/ucs2length.js";
var policy_validator_default = validate20;
var schema31 = { "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://plumbline.dev/schemas/policy.schema.json", "title": "plumbline policy", "description": "A plumbline policy (v1): checks that a production Linux host must pass. Add `# yaml-language-server: $schema=<path to this file>` at the top of a policy for completion and validation in editors.", "type": "object", "required": ["apiVersion", "kind", "metadata"], "additionalProperties": false, "properties": { "apiVersion": { "const": "plumbline/v1", "description": "Version of the policy language. Always plumbline/v1." }, "kind": { "const": "Policy", "description": "Kind of document. Always Policy." }, "metadata": { "type": "object", "description": "Name and description of the policy.", "required": ["name"], "additionalProperties": false, "properties": { "name": { "type": "string", "minLength": 1, "description": "Name of the policy, shown in reports." }, "description": { "type": "string", "description": "What the policy is for; shown in reports." }, "labels": { "type": "object", "description": "Free-form string labels (team, environment, ...).", "additionalProperties": { "type": "string", "description": "Label value." } } } }, "extends": { "type": "array", "description": "Policies this one builds on, applied first in the listed order; this file then overrides their checks by id. `builtin:NAME` names a built-in policy; other entries are paths relative to this file.", "items": { "type": "string", "pattern": "^(builtin:[a-z0-9][a-z0-9._-]*|[^/].*)$", "patternErrorMessage": "Expected builtin:NAME or a path relative to this file", "description": "`builtin:NAME` or a path relative to this file." } }, "vars": { "type": "object", "description": "Variables for `${name}` interpolation in check values. Later policies override earlier ones. A value that is exactly `${name}` takes the variable's type; `$${` writes a literal `${`.", "propertyNames": { "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "patternErrorMessage": "Expected a variable name: letters, digits and _, not starting with a digit" }, "additionalProperties": { "type": ["string", "number", "boolean"], "description": "A variable value: a string, number or boolean." } }, "defaults": { "type": "object", "description": "Defaults for every check; later policies override earlier ones.", "additionalProperties": false, "properties": { "timeout": { "$ref": "#/$defs/duration", "description": "Timeout for collecting each fact and running each probe (default 5s). A check's own timeout overrides it." }, "failUnder": { "type": "number", "minimum": 0, "maximum": 100, "description": "Score (0-100) below which the host is not ready (default 80). --fail-under overrides it." } } }, "waivers": { "type": "array", "description": "Accepted exceptions: a waived check still runs, but its result is reported as waived with the reason.", "items": { "$ref": "#/$defs/waiver" } }, "checks": { "type": "array", "description": "The checks of this policy. A check with the id of an inherited check replaces it.", "items": { "$ref": "#/$defs/check" } } }, "$defs": { "varRef": { "title": "variable reference", "type": "string", "pattern": "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$", "patternErrorMessage": "Expected a variable reference ${name}", "description": "A variable reference `${name}` standing for the whole value; it takes the variable's type." }, "id": { "type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$", "patternErrorMessage": 'Expected lowercase letters, digits, ".", "_" or "-", starting with a letter or digit', "description": 'Check id: lowercase letters, digits, ".", "_" and "-", e.g. kernel.somaxconn.' }, "duration": { "description": 'A duration: a string with a unit ("500ms", "2s", "1m", "1h") or an integer number of milliseconds.', "anyOf": [{ "type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$", "patternErrorMessage": 'Expected a duration like "500ms", "2s" or "1m", or a number of milliseconds' }, { "type": "integer", "minimum": 0 }, { "$ref": "#/$defs/varRef" }] }, "port": { "description": "A TCP/UDP port number, 1-65535.", "anyOf": [{ "type": "integer", "minimum": 1, "maximum": 65535 }, { "$ref": "#/$defs/varRef" }] }, "addrPort": { "type": "string", "pattern": "^(\\*|[0-9.]+|\\[[0-9A-Fa-f:.]+\\]|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}):([1-9][0-9]{0,4}|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})$", "patternErrorMessage": 'Expected a port number or "address:port" like "127.0.0.1:6379", "[::1]:5432" or "*:22"', "description": 'An address and port: "127.0.0.1:6379", "[::1]:5432", or "*:22" for any address.' }, "scalar": { "type": ["string", "number", "boolean", "null"] }, "eqValue": { "type": ["string", "number", "boolean", "null", "array"], "items": { "$ref": "#/$defs/scalar" }, "description": "A value; a list compares element-wise with a multi-value fact." }, "cmpValue": { "type": ["number", "string", "array"], "items": { "type": ["number", "string"] }, "description": "A number (numeric strings are converted); a list compares element-wise with a multi-value fact, e.g. [1024, 60000]." }, "matcher": { "description": "An expectation: a bare value means eq; otherwise an object of operators, all of which must hold.", "type": ["string", "number", "boolean", "null", "object"], "minProperties": 1, "additionalProperties": false, "properties": { "eq": { "$ref": "#/$defs/eqValue", "description": "Equal to this value (numbers compare numerically)." }, "ne": { "$ref": "#/$defs/eqValue", "description": "Not equal to this value." }, "gt": { "$ref": "#/$defs/cmpValue", "description": "Greater than." }, "gte": { "$ref": "#/$defs/cmpValue", "description": "Greater than or equal to." }, "lt": { "$ref": "#/$defs/cmpValue", "description": "Less than." }, "lte": { "$ref": "#/$defs/cmpValue", "description": "Less than or equal to." }, "between": { "type": "array", "description": "Between lo and hi, inclusive: [lo, hi].", "prefixItems": [{ "type": ["number", "string"], "description": "Lower bound." }, { "type": ["number", "string"], "description": "Upper bound." }], "items": false, "minItems": 2, "maxItems": 2 }, "in": { "type": "array", "items": { "$ref": "#/$defs/scalar" }, "description": "One of these values." }, "notIn": { "type": "array", "items": { "$ref": "#/$defs/scalar" }, "description": "None of these values." }, "match": { "type": "string", "description": "Matches this regular expression (JavaScript syntax, unanchored)." }, "contains": { "$ref": "#/$defs/scalar", "description": "Contains this value (substring, or element of a multi-value fact)." }, "exists": { "type": "boolean", "description": "The fact is present (true) or absent (false)." }, "index": { "type": "integer", "minimum": 0, "description": "For multi-value facts: compare only the element at this 0-based index." } } }, "when": { "type": "object", "description": "Run the check only when a policy variable matches; otherwise it is skipped.", "required": ["var", "expect"], "additionalProperties": false, "properties": { "var": { "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "patternErrorMessage": "Expected a variable name: letters, digits and _, not starting with a digit", "description": "Name of the variable (without ${})." }, "expect": { "$ref": "#/$defs/matcher", "description": "Matcher for the variable value." } } }, "waiver": { "type": "object", "description": "An accepted exception for one check.", "required": ["check", "reason"], "additionalProperties": false, "properties": { "check": { "$ref": "#/$defs/id", "description": "Id of the waived check." }, "reason": { "type": "string", "minLength": 1, "description": "Why the exception is acceptable; shown in reports." }, "expires": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "patternErrorMessage": "Expected a date YYYY-MM-DD", "description": "Date (YYYY-MM-DD) after which the waiver no longer applies." } } }, "limitsSelector": { "type": "object", "description": "Resource limits (ulimits) of processes, from /proc/PID/limits. Name the processes with exactly one of process, pid, pidfile, unit, port or listening.", "required": ["item"], "additionalProperties": false, "properties": { "process": { "type": "string", "minLength": 1, "description": "Processes with this command name (comm)." }, "pid": { "description": "The process with this pid.", "anyOf": [{ "type": "integer", "minimum": 1 }, { "$ref": "#/$defs/varRef" }] }, "pidfile": { "type": "string", "minLength": 1, "description": "The process whose pid is in this file." }, "unit": { "type": "string", "minLength": 1, "description": "The main process of this systemd unit." }, "port": { "$ref": "#/$defs/port", "description": "The processes that own a listening socket on this port." }, "listening": { "const": true, "description": "Every process that owns a listening socket." }, "item": { "enum": ["cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile", "memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime"], "description": "The limit: cpu, fsize, data, stack, core, rss, nproc, nofile, memlock, as, locks, sigpending, msgqueue, nice, rtprio, rttime (nofile = open files, nproc = processes, core = core file size, ...)." } } }, "limitsExpect": { "type": "object", "description": 'Matchers for the soft and/or hard limit ("unlimited" compares as infinity).', "minProperties": 1, "additionalProperties": false, "properties": { "soft": { "$ref": "#/$defs/matcher", "description": "Matcher for the soft limit." }, "hard": { "$ref": "#/$defs/matcher", "description": "Matcher for the hard limit." } } }, "listenerSelector": { "type": "object", "description": "The sockets listening on one port.", "required": ["port"], "additionalProperties": false, "properties": { "port": { "$ref": "#/$defs/port", "description": "Port number." }, "protocol": { "enum": ["tcp", "udp"], "default": "tcp", "description": "tcp (default) or udp." } } }, "listenerExpect": { "type": "object", "description": "What must hold of the listener.", "minProperties": 1, "additionalProperties": false, "properties": { "bind": { "description": "Where it may listen: loopback (only 127.0.0.0/8 and ::1), any (wildcard allowed), absent (nothing may listen), or a list of allowed addresses.", "anyOf": [{ "enum": ["loopback", "any", "absent"] }, { "type": "array", "minItems": 1, "items": { "type": "string", "minLength": 1 } }] }, "user": { "$ref": "#/$defs/matcher", "description": "Matcher for the user owning the socket." }, "process": { "$ref": "#/$defs/matcher", "description": "Matcher for the command name of the owning process." } } }, "listenersSelector": { "type": "object", "description": "All listening sockets, for an allow-list.", "additionalProperties": false, "properties": { "protocol": { "enum": ["tcp", "udp"], "description": "Only tcp or only udp listeners (default both)." } } }, "listenersExpect": { "type": "object", "description": "The allow-list of listeners.", "required": ["only"], "additionalProperties": false, "properties": { "only": { "type": "array", "description": 'The only listeners allowed: port numbers (any address) or "address:port" strings like "127.0.0.1:6379", "[::1]:5432", "*:22".', "items": { "anyOf": [{ "$ref": "#/$defs/port" }, { "$ref": "#/$defs/addrPort" }] } } } }, "tcpStatesSelector": { "type": "object", "description": "Counts of TCP sockets per state (v4 and v6). Takes no options: {}.", "additionalProperties": false }, "tcpStatesExpect": { "type": "object", "description": "Matchers for the number of sockets in each state.", "minProperties": 1, "additionalProperties": false, "properties": { "ESTABLISHED": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state ESTABLISHED." }, "SYN_SENT": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state SYN_SENT." }, "SYN_RECV": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state SYN_RECV." }, "FIN_WAIT1": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state FIN_WAIT1." }, "FIN_WAIT2": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state FIN_WAIT2." }, "TIME_WAIT": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state TIME_WAIT." }, "CLOSE": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state CLOSE." }, "CLOSE_WAIT": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state CLOSE_WAIT." }, "LAST_ACK": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state LAST_ACK." }, "LISTEN": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state LISTEN." }, "CLOSING": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state CLOSING." } } }, "netstatCounter": { "type": "string", "pattern": "^(ListenOverflows|ListenDrops|RetransRatio|ListenOverflowRatio|[A-Za-z][A-Za-z0-9]*\\.[A-Za-z][A-Za-z0-9]*)$", "patternErrorMessage": "Expected ListenOverflows, ListenDrops, RetransRatio, ListenOverflowRatio or Section.Counter (e.g. TcpExt.ListenDrops)", "description": "A kernel network counter: ListenOverflows, ListenDrops, RetransRatio (retransmitted / sent segments), ListenOverflowRatio, or Section.Counter from /proc/net/netstat or /proc/net/snmp (e.g. TcpExt.TCPTimeouts)." }, "interfaceExpect": { "type": "object", "description": "What must hold of the interface.", "minProperties": 1, "additionalProperties": false, "properties": { "state": { "$ref": "#/$defs/matcher", "description": "Matcher for the operational state (up, down, unknown, ...)." }, "carrier": { "$ref": "#/$defs/matcher", "description": "Matcher for carrier presence (true/false)." }, "mtu": { "$ref": "#/$defs/matcher", "description": "Matcher for the MTU." }, "rx_errors": { "$ref": "#/$defs/matcher", "description": "Matcher for the receive error counter." }, "tx_errors": { "$ref": "#/$defs/matcher", "description": "Matcher for the transmit error counter." }, "rx_dropped": { "$ref": "#/$defs/matcher", "description": "Matcher for the receive drop counter." }, "tx_dropped": { "$ref": "#/$defs/matcher", "description": "Matcher for the transmit drop counter." } } }, "routeDest": { "description": 'Destination of the route: "default", or a CIDR such as 10.0.0.0/8.', "anyOf": [{ "type": "string", "pattern": "^(default|[0-9.]+/[0-9]{1,2}|[0-9A-Fa-f:]+/[0-9]{1,3})$", "patternErrorMessage": 'Expected "default" or a CIDR like 10.0.0.0/8' }, { "$ref": "#/$defs/varRef" }] }, "routeExpect": { "type": "object", "description": "What must hold of the route.", "minProperties": 1, "additionalProperties": false, "properties": { "exists": { "type": "boolean", "description": "The route exists (true) or must not exist (false)." }, "via": { "$ref": "#/$defs/matcher", "description": "Matcher for the gateway address." }, "dev": { "$ref": "#/$defs/matcher", "description": "Matcher for the outgoing interface." } } }, "firewallSelector": { "type": "object", "description": "A base chain of the host firewall (nftables or iptables).", "required": ["chain"], "additionalProperties": false, "properties": { "chain": { "enum": ["input", "forward", "output"], "description": "The netfilter hook: input, forward or output." }, "family": { "enum": ["ip", "ip6", "inet"], "default": "inet", "description": "Address family: ip (IPv4), ip6 (IPv6) or inet (both; default)." } } }, "firewallExpect": { "type": "object", "description": "What must hold of the chain.", "required": ["policy"], "additionalProperties": false, "properties": { "policy": { "description": "The effective default verdict: drop, reject or accept, or a list of acceptable ones.", "anyOf": [{ "enum": ["drop", "reject", "accept"] }, { "type": "array", "minItems": 1, "items": { "enum": ["drop", "reject", "accept"] } }] } } }, "check": { "type": "object", "description": "One check: an id, a severity, exactly one fact selector (sysctl, limits, listener, listeners, tcpStates, netstat, interface, route, firewall) and an expectation.", "required": ["id"], "additionalProperties": false, "properties": { "id": { "$ref": "#/$defs/id", "description": "Unique id, e.g. kernel.somaxconn. A check with the id of an inherited check replaces it." }, "title": { "type": "string", "description": "One-line summary of what must hold (defaults to the id)." }, "severity": { "enum": ["critical", "high", "medium", "low", "info"], "description": "critical | high | medium | low | info (default medium). Weights the score; a failed critical check makes the host not ready." }, "rationale": { "type": "string", "description": "Why this matters in production." }, "remediation": { "type": "string", "description": "How to fix a failure." }, "tags": { "type": "array", "items": { "type": "string" }, "description": "Free-form tags for filtering." }, "refs": { "type": "array", "items": { "type": "string" }, "description": "References: URLs, benchmark ids, tickets." }, "timeout": { "$ref": "#/$defs/duration", "description": "Timeout for this check's fact or probe; overrides defaults.timeout." }, "when": { "$ref": "#/$defs/when" }, "enabled": { "type": "boolean", "description": "false removes an inherited check with this id." }, "expect": { "description": "The expectation; its shape depends on the fact selector." }, "sysctl": { "type": "string", "pattern": "^\\S+$", "patternErrorMessage": "Expected a sysctl key without spaces, like net.core.somaxconn", "description": "Fact selector: a kernel parameter, e.g. net.core.somaxconn (read from /proc/sys)." }, "limits": { "$ref": "#/$defs/limitsSelector" }, "listener": { "$ref": "#/$defs/listenerSelector" }, "listeners": { "$ref": "#/$defs/listenersSelector" }, "tcpStates": { "$ref": "#/$defs/tcpStatesSelector" }, "netstat": { "$ref": "#/$defs/netstatCounter", "description": "Fact selector: a kernel network counter (ListenOverflows, ListenDrops, RetransRatio, ListenOverflowRatio or Section.Counter)." }, "interface": { "type": "string", "minLength": 1, "description": "Fact selector: a network interface by name, e.g. eth0." }, "route": { "$ref": "#/$defs/routeDest", "description": 'Fact selector: a route by destination, "default" for the default route.' }, "firewall": { "$ref": "#/$defs/firewallSelector" } }, "allOf": [{ "if": { "required": ["enabled"], "properties": { "enabled": { "const": false } } }, "else": { "required": ["expect"] } }, { "if": { "required": ["sysctl"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/matcher", "description": "Matcher for the sysctl value. Numeric operators compare numerically; multi-value sysctls compare element-wise (gte: [1024, 60000]) or by index." } } } }, { "if": { "required": ["limits"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/limitsExpect" } } } }, { "if": { "required": ["listener"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/listenerExpect" } } } }, { "if": { "required": ["listeners"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/listenersExpect" } } } }, { "if": { "required": ["tcpStates"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/tcpStatesExpect" } } } }, { "if": { "required": ["netstat"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/matcher", "description": "Matcher for the counter value." } } } }, { "if": { "required": ["interface"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/interfaceExpect" } } } }, { "if": { "required": ["route"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/routeExpect" } } } }, { "if": { "required": ["firewall"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/firewallExpect" } } } }] } } };
var func1 = __ajvRuntime0.default;
var pattern4 = new RegExp("^(builtin:[a-z0-9][a-z0-9._-]*|[^/].*)$", "u");
var pattern5 = new RegExp("^[A-Za-z_][A-Za-z0-9_]*$", "u");
var schema32 = { "description": 'A duration: a string with a unit ("500ms", "2s", "1m", "1h") or an integer number of milliseconds.', "anyOf": [{ "type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$", "patternErrorMessage": 'Expected a duration like "500ms", "2s" or "1m", or a number of milliseconds' }, { "type": "integer", "minimum": 0 }, { "$ref": "#/$defs/varRef" }] };
var schema33 = { "title": "variable reference", "type": "string", "pattern": "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$", "patternErrorMessage": "Expected a variable reference ${name}", "description": "A variable reference `${name}` standing for the whole value; it takes the variable's type." };
var pattern6 = new RegExp("^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$", "u");
var pattern7 = new RegExp("^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$", "u");
function validate21(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate21.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  const _errs0 = errors;
  let valid0 = false;
  const _errs1 = errors;
  if (typeof data === "string") {
    if (!pattern6.test(data)) {
      const err0 = { instancePath, schemaPath: "#/anyOf/0/pattern", keyword: "pattern", params: { pattern: "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$" }, message: 'must match pattern "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$"', schema: "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$", parentSchema: schema32.anyOf[0], data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
  } else {
    const err1 = { instancePath, schemaPath: "#/anyOf/0/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema32.anyOf[0].type, parentSchema: schema32.anyOf[0], data };
    if (vErrors === null) {
      vErrors = [err1];
    } else {
      vErrors.push(err1);
    }
    errors++;
  }
  var _valid0 = _errs1 === errors;
  valid0 = valid0 || _valid0;
  const _errs4 = errors;
  if (!(typeof data == "number" && (!(data % 1) && !isNaN(data)) && isFinite(data))) {
    const err2 = { instancePath, schemaPath: "#/anyOf/1/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema32.anyOf[1].type, parentSchema: schema32.anyOf[1], data };
    if (vErrors === null) {
      vErrors = [err2];
    } else {
      vErrors.push(err2);
    }
    errors++;
  }
  if (typeof data == "number" && isFinite(data)) {
    if (data < 0 || isNaN(data)) {
      const err3 = { instancePath, schemaPath: "#/anyOf/1/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema32.anyOf[1], data };
      if (vErrors === null) {
        vErrors = [err3];
      } else {
        vErrors.push(err3);
      }
      errors++;
    }
  }
  var _valid0 = _errs4 === errors;
  valid0 = valid0 || _valid0;
  const _errs6 = errors;
  if (typeof data === "string") {
    if (!pattern7.test(data)) {
      const err4 = { instancePath, schemaPath: "#/$defs/varRef/pattern", keyword: "pattern", params: { pattern: "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$" }, message: 'must match pattern "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$"', schema: "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$", parentSchema: schema33, data };
      if (vErrors === null) {
        vErrors = [err4];
      } else {
        vErrors.push(err4);
      }
      errors++;
    }
  } else {
    const err5 = { instancePath, schemaPath: "#/$defs/varRef/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data };
    if (vErrors === null) {
      vErrors = [err5];
    } else {
      vErrors.push(err5);
    }
    errors++;
  }
  var _valid0 = _errs6 === errors;
  valid0 = valid0 || _valid0;
  if (!valid0) {
    const err6 = { instancePath, schemaPath: "#/anyOf", keyword: "anyOf", params: {}, message: "must match a schema in anyOf", schema: schema32.anyOf, parentSchema: schema32, data };
    if (vErrors === null) {
      vErrors = [err6];
    } else {
      vErrors.push(err6);
    }
    errors++;
  } else {
    errors = _errs0;
    if (vErrors !== null) {
      if (_errs0) {
        vErrors.length = _errs0;
      } else {
        vErrors = null;
      }
    }
  }
  validate21.errors = vErrors;
  return errors === 0;
}
validate21.evaluated = { "dynamicProps": false, "dynamicItems": false };
var schema34 = { "type": "object", "description": "An accepted exception for one check.", "required": ["check", "reason"], "additionalProperties": false, "properties": { "check": { "$ref": "#/$defs/id", "description": "Id of the waived check." }, "reason": { "type": "string", "minLength": 1, "description": "Why the exception is acceptable; shown in reports." }, "expires": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "patternErrorMessage": "Expected a date YYYY-MM-DD", "description": "Date (YYYY-MM-DD) after which the waiver no longer applies." } } };
var schema35 = { "type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$", "patternErrorMessage": 'Expected lowercase letters, digits, ".", "_" or "-", starting with a letter or digit', "description": 'Check id: lowercase letters, digits, ".", "_" and "-", e.g. kernel.somaxconn.' };
var pattern8 = new RegExp("^[a-z0-9][a-z0-9._-]*$", "u");
var pattern9 = new RegExp("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "u");
function validate23(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate23.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.check === void 0) {
      const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "check" }, message: "must have required property 'check'", schema: schema34.required, parentSchema: schema34, data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    if (data.reason === void 0) {
      const err1 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "reason" }, message: "must have required property 'reason'", schema: schema34.required, parentSchema: schema34, data };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === "check" || key0 === "reason" || key0 === "expires")) {
        const err2 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema34, data };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.check !== void 0) {
      let data0 = data.check;
      if (typeof data0 === "string") {
        if (!pattern8.test(data0)) {
          const err3 = { instancePath: instancePath + "/check", schemaPath: "#/$defs/id/pattern", keyword: "pattern", params: { pattern: "^[a-z0-9][a-z0-9._-]*$" }, message: 'must match pattern "^[a-z0-9][a-z0-9._-]*$"', schema: "^[a-z0-9][a-z0-9._-]*$", parentSchema: schema35, data: data0 };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      } else {
        const err4 = { instancePath: instancePath + "/check", schemaPath: "#/$defs/id/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema35.type, parentSchema: schema35, data: data0 };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.reason !== void 0) {
      let data1 = data.reason;
      if (typeof data1 === "string") {
        if (func1(data1) < 1) {
          const err5 = { instancePath: instancePath + "/reason", schemaPath: "#/properties/reason/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema34.properties.reason, data: data1 };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
      } else {
        const err6 = { instancePath: instancePath + "/reason", schemaPath: "#/properties/reason/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.properties.reason.type, parentSchema: schema34.properties.reason, data: data1 };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
    }
    if (data.expires !== void 0) {
      let data2 = data.expires;
      if (typeof data2 === "string") {
        if (!pattern9.test(data2)) {
          const err7 = { instancePath: instancePath + "/expires", schemaPath: "#/properties/expires/pattern", keyword: "pattern", params: { pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }, message: 'must match pattern "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"', schema: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", parentSchema: schema34.properties.expires, data: data2 };
          if (vErrors === null) {
            vErrors = [err7];
          } else {
            vErrors.push(err7);
          }
          errors++;
        }
      } else {
        const err8 = { instancePath: instancePath + "/expires", schemaPath: "#/properties/expires/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.properties.expires.type, parentSchema: schema34.properties.expires, data: data2 };
        if (vErrors === null) {
          vErrors = [err8];
        } else {
          vErrors.push(err8);
        }
        errors++;
      }
    }
  } else {
    const err9 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema34.type, parentSchema: schema34, data };
    if (vErrors === null) {
      vErrors = [err9];
    } else {
      vErrors.push(err9);
    }
    errors++;
  }
  validate23.errors = vErrors;
  return errors === 0;
}
validate23.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
var schema36 = { "type": "object", "description": "One check: an id, a severity, exactly one fact selector (sysctl, limits, listener, listeners, tcpStates, netstat, interface, route, firewall) and an expectation.", "required": ["id"], "additionalProperties": false, "properties": { "id": { "$ref": "#/$defs/id", "description": "Unique id, e.g. kernel.somaxconn. A check with the id of an inherited check replaces it." }, "title": { "type": "string", "description": "One-line summary of what must hold (defaults to the id)." }, "severity": { "enum": ["critical", "high", "medium", "low", "info"], "description": "critical | high | medium | low | info (default medium). Weights the score; a failed critical check makes the host not ready." }, "rationale": { "type": "string", "description": "Why this matters in production." }, "remediation": { "type": "string", "description": "How to fix a failure." }, "tags": { "type": "array", "items": { "type": "string" }, "description": "Free-form tags for filtering." }, "refs": { "type": "array", "items": { "type": "string" }, "description": "References: URLs, benchmark ids, tickets." }, "timeout": { "$ref": "#/$defs/duration", "description": "Timeout for this check's fact or probe; overrides defaults.timeout." }, "when": { "$ref": "#/$defs/when" }, "enabled": { "type": "boolean", "description": "false removes an inherited check with this id." }, "expect": { "description": "The expectation; its shape depends on the fact selector." }, "sysctl": { "type": "string", "pattern": "^\\S+$", "patternErrorMessage": "Expected a sysctl key without spaces, like net.core.somaxconn", "description": "Fact selector: a kernel parameter, e.g. net.core.somaxconn (read from /proc/sys)." }, "limits": { "$ref": "#/$defs/limitsSelector" }, "listener": { "$ref": "#/$defs/listenerSelector" }, "listeners": { "$ref": "#/$defs/listenersSelector" }, "tcpStates": { "$ref": "#/$defs/tcpStatesSelector" }, "netstat": { "$ref": "#/$defs/netstatCounter", "description": "Fact selector: a kernel network counter (ListenOverflows, ListenDrops, RetransRatio, ListenOverflowRatio or Section.Counter)." }, "interface": { "type": "string", "minLength": 1, "description": "Fact selector: a network interface by name, e.g. eth0." }, "route": { "$ref": "#/$defs/routeDest", "description": 'Fact selector: a route by destination, "default" for the default route.' }, "firewall": { "$ref": "#/$defs/firewallSelector" } }, "allOf": [{ "if": { "required": ["enabled"], "properties": { "enabled": { "const": false } } }, "else": { "required": ["expect"] } }, { "if": { "required": ["sysctl"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/matcher", "description": "Matcher for the sysctl value. Numeric operators compare numerically; multi-value sysctls compare element-wise (gte: [1024, 60000]) or by index." } } } }, { "if": { "required": ["limits"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/limitsExpect" } } } }, { "if": { "required": ["listener"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/listenerExpect" } } } }, { "if": { "required": ["listeners"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/listenersExpect" } } } }, { "if": { "required": ["tcpStates"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/tcpStatesExpect" } } } }, { "if": { "required": ["netstat"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/matcher", "description": "Matcher for the counter value." } } } }, { "if": { "required": ["interface"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/interfaceExpect" } } } }, { "if": { "required": ["route"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/routeExpect" } } } }, { "if": { "required": ["firewall"] }, "then": { "properties": { "expect": { "$ref": "#/$defs/firewallExpect" } } } }] };
var schema56 = { "type": "object", "description": "What must hold of the chain.", "required": ["policy"], "additionalProperties": false, "properties": { "policy": { "description": "The effective default verdict: drop, reject or accept, or a list of acceptable ones.", "anyOf": [{ "enum": ["drop", "reject", "accept"] }, { "type": "array", "minItems": 1, "items": { "enum": ["drop", "reject", "accept"] } }] } } };
var schema62 = { "type": "object", "description": "All listening sockets, for an allow-list.", "additionalProperties": false, "properties": { "protocol": { "enum": ["tcp", "udp"], "description": "Only tcp or only udp listeners (default both)." } } };
var schema63 = { "type": "object", "description": "Counts of TCP sockets per state (v4 and v6). Takes no options: {}.", "additionalProperties": false };
var schema64 = { "type": "string", "pattern": "^(ListenOverflows|ListenDrops|RetransRatio|ListenOverflowRatio|[A-Za-z][A-Za-z0-9]*\\.[A-Za-z][A-Za-z0-9]*)$", "patternErrorMessage": "Expected ListenOverflows, ListenDrops, RetransRatio, ListenOverflowRatio or Section.Counter (e.g. TcpExt.ListenDrops)", "description": "A kernel network counter: ListenOverflows, ListenDrops, RetransRatio (retransmitted / sent segments), ListenOverflowRatio, or Section.Counter from /proc/net/netstat or /proc/net/snmp (e.g. TcpExt.TCPTimeouts)." };
var schema67 = { "type": "object", "description": "A base chain of the host firewall (nftables or iptables).", "required": ["chain"], "additionalProperties": false, "properties": { "chain": { "enum": ["input", "forward", "output"], "description": "The netfilter hook: input, forward or output." }, "family": { "enum": ["ip", "ip6", "inet"], "default": "inet", "description": "Address family: ip (IPv4), ip6 (IPv6) or inet (both; default)." } } };
var schema37 = { "description": "An expectation: a bare value means eq; otherwise an object of operators, all of which must hold.", "type": ["string", "number", "boolean", "null", "object"], "minProperties": 1, "additionalProperties": false, "properties": { "eq": { "$ref": "#/$defs/eqValue", "description": "Equal to this value (numbers compare numerically)." }, "ne": { "$ref": "#/$defs/eqValue", "description": "Not equal to this value." }, "gt": { "$ref": "#/$defs/cmpValue", "description": "Greater than." }, "gte": { "$ref": "#/$defs/cmpValue", "description": "Greater than or equal to." }, "lt": { "$ref": "#/$defs/cmpValue", "description": "Less than." }, "lte": { "$ref": "#/$defs/cmpValue", "description": "Less than or equal to." }, "between": { "type": "array", "description": "Between lo and hi, inclusive: [lo, hi].", "prefixItems": [{ "type": ["number", "string"], "description": "Lower bound." }, { "type": ["number", "string"], "description": "Upper bound." }], "items": false, "minItems": 2, "maxItems": 2 }, "in": { "type": "array", "items": { "$ref": "#/$defs/scalar" }, "description": "One of these values." }, "notIn": { "type": "array", "items": { "$ref": "#/$defs/scalar" }, "description": "None of these values." }, "match": { "type": "string", "description": "Matches this regular expression (JavaScript syntax, unanchored)." }, "contains": { "$ref": "#/$defs/scalar", "description": "Contains this value (substring, or element of a multi-value fact)." }, "exists": { "type": "boolean", "description": "The fact is present (true) or absent (false)." }, "index": { "type": "integer", "minimum": 0, "description": "For multi-value facts: compare only the element at this 0-based index." } } };
var schema40 = { "type": ["number", "string", "array"], "items": { "type": ["number", "string"] }, "description": "A number (numeric strings are converted); a list compares element-wise with a multi-value fact, e.g. [1024, 60000]." };
var schema39 = { "type": ["string", "number", "boolean", "null"] };
var func3 = Object.prototype.hasOwnProperty;
var schema38 = { "type": ["string", "number", "boolean", "null", "array"], "items": { "$ref": "#/$defs/scalar" }, "description": "A value; a list compares element-wise with a multi-value fact." };
function validate27(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate27.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (typeof data !== "string" && !(typeof data == "number" && isFinite(data)) && typeof data !== "boolean" && data !== null && !Array.isArray(data)) {
    const err0 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: schema38.type }, message: "must be string,number,boolean,null,array", schema: schema38.type, parentSchema: schema38, data };
    if (vErrors === null) {
      vErrors = [err0];
    } else {
      vErrors.push(err0);
    }
    errors++;
  }
  if (Array.isArray(data)) {
    const len0 = data.length;
    for (let i0 = 0; i0 < len0; i0++) {
      let data0 = data[i0];
      if (typeof data0 !== "string" && !(typeof data0 == "number" && isFinite(data0)) && typeof data0 !== "boolean" && data0 !== null) {
        const err1 = { instancePath: instancePath + "/" + i0, schemaPath: "#/$defs/scalar/type", keyword: "type", params: { type: schema39.type }, message: "must be string,number,boolean,null", schema: schema39.type, parentSchema: schema39, data: data0 };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
  }
  validate27.errors = vErrors;
  return errors === 0;
}
validate27.evaluated = { "items": true, "dynamicProps": false, "dynamicItems": false };
function validate26(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate26.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (typeof data !== "string" && !(typeof data == "number" && isFinite(data)) && typeof data !== "boolean" && data !== null && !(data && typeof data == "object" && !Array.isArray(data))) {
    const err0 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: schema37.type }, message: "must be string,number,boolean,null,object", schema: schema37.type, parentSchema: schema37, data };
    if (vErrors === null) {
      vErrors = [err0];
    } else {
      vErrors.push(err0);
    }
    errors++;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (Object.keys(data).length < 1) {
      const err1 = { instancePath, schemaPath: "#/minProperties", keyword: "minProperties", params: { limit: 1 }, message: "must NOT have fewer than 1 properties", schema: 1, parentSchema: schema37, data };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!func3.call(schema37.properties, key0)) {
        const err2 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema37, data };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.eq !== void 0) {
      if (!validate27(data.eq, { instancePath: instancePath + "/eq", parentData: data, parentDataProperty: "eq", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate27.errors : vErrors.concat(validate27.errors);
        errors = vErrors.length;
      }
    }
    if (data.ne !== void 0) {
      if (!validate27(data.ne, { instancePath: instancePath + "/ne", parentData: data, parentDataProperty: "ne", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate27.errors : vErrors.concat(validate27.errors);
        errors = vErrors.length;
      }
    }
    if (data.gt !== void 0) {
      let data2 = data.gt;
      if (!(typeof data2 == "number" && isFinite(data2)) && typeof data2 !== "string" && !Array.isArray(data2)) {
        const err3 = { instancePath: instancePath + "/gt", schemaPath: "#/$defs/cmpValue/type", keyword: "type", params: { type: schema40.type }, message: "must be number,string,array", schema: schema40.type, parentSchema: schema40, data: data2 };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
      if (Array.isArray(data2)) {
        const len0 = data2.length;
        for (let i0 = 0; i0 < len0; i0++) {
          let data3 = data2[i0];
          if (!(typeof data3 == "number" && isFinite(data3)) && typeof data3 !== "string") {
            const err4 = { instancePath: instancePath + "/gt/" + i0, schemaPath: "#/$defs/cmpValue/items/type", keyword: "type", params: { type: schema40.items.type }, message: "must be number,string", schema: schema40.items.type, parentSchema: schema40.items, data: data3 };
            if (vErrors === null) {
              vErrors = [err4];
            } else {
              vErrors.push(err4);
            }
            errors++;
          }
        }
      }
    }
    if (data.gte !== void 0) {
      let data4 = data.gte;
      if (!(typeof data4 == "number" && isFinite(data4)) && typeof data4 !== "string" && !Array.isArray(data4)) {
        const err5 = { instancePath: instancePath + "/gte", schemaPath: "#/$defs/cmpValue/type", keyword: "type", params: { type: schema40.type }, message: "must be number,string,array", schema: schema40.type, parentSchema: schema40, data: data4 };
        if (vErrors === null) {
          vErrors = [err5];
        } else {
          vErrors.push(err5);
        }
        errors++;
      }
      if (Array.isArray(data4)) {
        const len1 = data4.length;
        for (let i1 = 0; i1 < len1; i1++) {
          let data5 = data4[i1];
          if (!(typeof data5 == "number" && isFinite(data5)) && typeof data5 !== "string") {
            const err6 = { instancePath: instancePath + "/gte/" + i1, schemaPath: "#/$defs/cmpValue/items/type", keyword: "type", params: { type: schema40.items.type }, message: "must be number,string", schema: schema40.items.type, parentSchema: schema40.items, data: data5 };
            if (vErrors === null) {
              vErrors = [err6];
            } else {
              vErrors.push(err6);
            }
            errors++;
          }
        }
      }
    }
    if (data.lt !== void 0) {
      let data6 = data.lt;
      if (!(typeof data6 == "number" && isFinite(data6)) && typeof data6 !== "string" && !Array.isArray(data6)) {
        const err7 = { instancePath: instancePath + "/lt", schemaPath: "#/$defs/cmpValue/type", keyword: "type", params: { type: schema40.type }, message: "must be number,string,array", schema: schema40.type, parentSchema: schema40, data: data6 };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      }
      if (Array.isArray(data6)) {
        const len2 = data6.length;
        for (let i2 = 0; i2 < len2; i2++) {
          let data7 = data6[i2];
          if (!(typeof data7 == "number" && isFinite(data7)) && typeof data7 !== "string") {
            const err8 = { instancePath: instancePath + "/lt/" + i2, schemaPath: "#/$defs/cmpValue/items/type", keyword: "type", params: { type: schema40.items.type }, message: "must be number,string", schema: schema40.items.type, parentSchema: schema40.items, data: data7 };
            if (vErrors === null) {
              vErrors = [err8];
            } else {
              vErrors.push(err8);
            }
            errors++;
          }
        }
      }
    }
    if (data.lte !== void 0) {
      let data8 = data.lte;
      if (!(typeof data8 == "number" && isFinite(data8)) && typeof data8 !== "string" && !Array.isArray(data8)) {
        const err9 = { instancePath: instancePath + "/lte", schemaPath: "#/$defs/cmpValue/type", keyword: "type", params: { type: schema40.type }, message: "must be number,string,array", schema: schema40.type, parentSchema: schema40, data: data8 };
        if (vErrors === null) {
          vErrors = [err9];
        } else {
          vErrors.push(err9);
        }
        errors++;
      }
      if (Array.isArray(data8)) {
        const len3 = data8.length;
        for (let i3 = 0; i3 < len3; i3++) {
          let data9 = data8[i3];
          if (!(typeof data9 == "number" && isFinite(data9)) && typeof data9 !== "string") {
            const err10 = { instancePath: instancePath + "/lte/" + i3, schemaPath: "#/$defs/cmpValue/items/type", keyword: "type", params: { type: schema40.items.type }, message: "must be number,string", schema: schema40.items.type, parentSchema: schema40.items, data: data9 };
            if (vErrors === null) {
              vErrors = [err10];
            } else {
              vErrors.push(err10);
            }
            errors++;
          }
        }
      }
    }
    if (data.between !== void 0) {
      let data10 = data.between;
      if (Array.isArray(data10)) {
        if (data10.length > 2) {
          const err11 = { instancePath: instancePath + "/between", schemaPath: "#/properties/between/maxItems", keyword: "maxItems", params: { limit: 2 }, message: "must NOT have more than 2 items", schema: 2, parentSchema: schema37.properties.between, data: data10 };
          if (vErrors === null) {
            vErrors = [err11];
          } else {
            vErrors.push(err11);
          }
          errors++;
        }
        if (data10.length < 2) {
          const err12 = { instancePath: instancePath + "/between", schemaPath: "#/properties/between/minItems", keyword: "minItems", params: { limit: 2 }, message: "must NOT have fewer than 2 items", schema: 2, parentSchema: schema37.properties.between, data: data10 };
          if (vErrors === null) {
            vErrors = [err12];
          } else {
            vErrors.push(err12);
          }
          errors++;
        }
        const len4 = data10.length;
        if (len4 > 0) {
          let data11 = data10[0];
          if (!(typeof data11 == "number" && isFinite(data11)) && typeof data11 !== "string") {
            const err13 = { instancePath: instancePath + "/between/0", schemaPath: "#/properties/between/prefixItems/0/type", keyword: "type", params: { type: schema37.properties.between.prefixItems[0].type }, message: "must be number,string", schema: schema37.properties.between.prefixItems[0].type, parentSchema: schema37.properties.between.prefixItems[0], data: data11 };
            if (vErrors === null) {
              vErrors = [err13];
            } else {
              vErrors.push(err13);
            }
            errors++;
          }
        }
        if (len4 > 1) {
          let data12 = data10[1];
          if (!(typeof data12 == "number" && isFinite(data12)) && typeof data12 !== "string") {
            const err14 = { instancePath: instancePath + "/between/1", schemaPath: "#/properties/between/prefixItems/1/type", keyword: "type", params: { type: schema37.properties.between.prefixItems[1].type }, message: "must be number,string", schema: schema37.properties.between.prefixItems[1].type, parentSchema: schema37.properties.between.prefixItems[1], data: data12 };
            if (vErrors === null) {
              vErrors = [err14];
            } else {
              vErrors.push(err14);
            }
            errors++;
          }
        }
        const len5 = data10.length;
        if (!(len5 <= 2)) {
          const err15 = { instancePath: instancePath + "/between", schemaPath: "#/properties/between/items", keyword: "items", params: { limit: 2 }, message: "must NOT have more than 2 items", schema: false, parentSchema: schema37.properties.between, data: data10 };
          if (vErrors === null) {
            vErrors = [err15];
          } else {
            vErrors.push(err15);
          }
          errors++;
        }
      } else {
        const err16 = { instancePath: instancePath + "/between", schemaPath: "#/properties/between/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema37.properties.between.type, parentSchema: schema37.properties.between, data: data10 };
        if (vErrors === null) {
          vErrors = [err16];
        } else {
          vErrors.push(err16);
        }
        errors++;
      }
    }
    if (data.in !== void 0) {
      let data13 = data.in;
      if (Array.isArray(data13)) {
        const len6 = data13.length;
        for (let i4 = 0; i4 < len6; i4++) {
          let data14 = data13[i4];
          if (typeof data14 !== "string" && !(typeof data14 == "number" && isFinite(data14)) && typeof data14 !== "boolean" && data14 !== null) {
            const err17 = { instancePath: instancePath + "/in/" + i4, schemaPath: "#/$defs/scalar/type", keyword: "type", params: { type: schema39.type }, message: "must be string,number,boolean,null", schema: schema39.type, parentSchema: schema39, data: data14 };
            if (vErrors === null) {
              vErrors = [err17];
            } else {
              vErrors.push(err17);
            }
            errors++;
          }
        }
      } else {
        const err18 = { instancePath: instancePath + "/in", schemaPath: "#/properties/in/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema37.properties.in.type, parentSchema: schema37.properties.in, data: data13 };
        if (vErrors === null) {
          vErrors = [err18];
        } else {
          vErrors.push(err18);
        }
        errors++;
      }
    }
    if (data.notIn !== void 0) {
      let data15 = data.notIn;
      if (Array.isArray(data15)) {
        const len7 = data15.length;
        for (let i5 = 0; i5 < len7; i5++) {
          let data16 = data15[i5];
          if (typeof data16 !== "string" && !(typeof data16 == "number" && isFinite(data16)) && typeof data16 !== "boolean" && data16 !== null) {
            const err19 = { instancePath: instancePath + "/notIn/" + i5, schemaPath: "#/$defs/scalar/type", keyword: "type", params: { type: schema39.type }, message: "must be string,number,boolean,null", schema: schema39.type, parentSchema: schema39, data: data16 };
            if (vErrors === null) {
              vErrors = [err19];
            } else {
              vErrors.push(err19);
            }
            errors++;
          }
        }
      } else {
        const err20 = { instancePath: instancePath + "/notIn", schemaPath: "#/properties/notIn/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema37.properties.notIn.type, parentSchema: schema37.properties.notIn, data: data15 };
        if (vErrors === null) {
          vErrors = [err20];
        } else {
          vErrors.push(err20);
        }
        errors++;
      }
    }
    if (data.match !== void 0) {
      let data17 = data.match;
      if (typeof data17 !== "string") {
        const err21 = { instancePath: instancePath + "/match", schemaPath: "#/properties/match/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema37.properties.match.type, parentSchema: schema37.properties.match, data: data17 };
        if (vErrors === null) {
          vErrors = [err21];
        } else {
          vErrors.push(err21);
        }
        errors++;
      }
    }
    if (data.contains !== void 0) {
      let data18 = data.contains;
      if (typeof data18 !== "string" && !(typeof data18 == "number" && isFinite(data18)) && typeof data18 !== "boolean" && data18 !== null) {
        const err22 = { instancePath: instancePath + "/contains", schemaPath: "#/$defs/scalar/type", keyword: "type", params: { type: schema39.type }, message: "must be string,number,boolean,null", schema: schema39.type, parentSchema: schema39, data: data18 };
        if (vErrors === null) {
          vErrors = [err22];
        } else {
          vErrors.push(err22);
        }
        errors++;
      }
    }
    if (data.exists !== void 0) {
      let data19 = data.exists;
      if (typeof data19 !== "boolean") {
        const err23 = { instancePath: instancePath + "/exists", schemaPath: "#/properties/exists/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema37.properties.exists.type, parentSchema: schema37.properties.exists, data: data19 };
        if (vErrors === null) {
          vErrors = [err23];
        } else {
          vErrors.push(err23);
        }
        errors++;
      }
    }
    if (data.index !== void 0) {
      let data20 = data.index;
      if (!(typeof data20 == "number" && (!(data20 % 1) && !isNaN(data20)) && isFinite(data20))) {
        const err24 = { instancePath: instancePath + "/index", schemaPath: "#/properties/index/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema37.properties.index.type, parentSchema: schema37.properties.index, data: data20 };
        if (vErrors === null) {
          vErrors = [err24];
        } else {
          vErrors.push(err24);
        }
        errors++;
      }
      if (typeof data20 == "number" && isFinite(data20)) {
        if (data20 < 0 || isNaN(data20)) {
          const err25 = { instancePath: instancePath + "/index", schemaPath: "#/properties/index/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema37.properties.index, data: data20 };
          if (vErrors === null) {
            vErrors = [err25];
          } else {
            vErrors.push(err25);
          }
          errors++;
        }
      }
    }
  }
  validate26.errors = vErrors;
  return errors === 0;
}
validate26.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
var schema47 = { "type": "object", "description": 'Matchers for the soft and/or hard limit ("unlimited" compares as infinity).', "minProperties": 1, "additionalProperties": false, "properties": { "soft": { "$ref": "#/$defs/matcher", "description": "Matcher for the soft limit." }, "hard": { "$ref": "#/$defs/matcher", "description": "Matcher for the hard limit." } } };
function validate31(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate31.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (Object.keys(data).length < 1) {
      const err0 = { instancePath, schemaPath: "#/minProperties", keyword: "minProperties", params: { limit: 1 }, message: "must NOT have fewer than 1 properties", schema: 1, parentSchema: schema47, data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === "soft" || key0 === "hard")) {
        const err1 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema47, data };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.soft !== void 0) {
      if (!validate26(data.soft, { instancePath: instancePath + "/soft", parentData: data, parentDataProperty: "soft", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.hard !== void 0) {
      if (!validate26(data.hard, { instancePath: instancePath + "/hard", parentData: data, parentDataProperty: "hard", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
  } else {
    const err2 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema47.type, parentSchema: schema47, data };
    if (vErrors === null) {
      vErrors = [err2];
    } else {
      vErrors.push(err2);
    }
    errors++;
  }
  validate31.errors = vErrors;
  return errors === 0;
}
validate31.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
var schema48 = { "type": "object", "description": "What must hold of the listener.", "minProperties": 1, "additionalProperties": false, "properties": { "bind": { "description": "Where it may listen: loopback (only 127.0.0.0/8 and ::1), any (wildcard allowed), absent (nothing may listen), or a list of allowed addresses.", "anyOf": [{ "enum": ["loopback", "any", "absent"] }, { "type": "array", "minItems": 1, "items": { "type": "string", "minLength": 1 } }] }, "user": { "$ref": "#/$defs/matcher", "description": "Matcher for the user owning the socket." }, "process": { "$ref": "#/$defs/matcher", "description": "Matcher for the command name of the owning process." } } };
function validate35(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate35.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (Object.keys(data).length < 1) {
      const err0 = { instancePath, schemaPath: "#/minProperties", keyword: "minProperties", params: { limit: 1 }, message: "must NOT have fewer than 1 properties", schema: 1, parentSchema: schema48, data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === "bind" || key0 === "user" || key0 === "process")) {
        const err1 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema48, data };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.bind !== void 0) {
      let data0 = data.bind;
      const _errs3 = errors;
      let valid1 = false;
      const _errs4 = errors;
      if (!(data0 === "loopback" || data0 === "any" || data0 === "absent")) {
        const err2 = { instancePath: instancePath + "/bind", schemaPath: "#/properties/bind/anyOf/0/enum", keyword: "enum", params: { allowedValues: schema48.properties.bind.anyOf[0].enum }, message: "must be equal to one of the allowed values", schema: schema48.properties.bind.anyOf[0].enum, parentSchema: schema48.properties.bind.anyOf[0], data: data0 };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
      var _valid0 = _errs4 === errors;
      valid1 = valid1 || _valid0;
      const _errs5 = errors;
      if (Array.isArray(data0)) {
        if (data0.length < 1) {
          const err3 = { instancePath: instancePath + "/bind", schemaPath: "#/properties/bind/anyOf/1/minItems", keyword: "minItems", params: { limit: 1 }, message: "must NOT have fewer than 1 items", schema: 1, parentSchema: schema48.properties.bind.anyOf[1], data: data0 };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
        const len0 = data0.length;
        for (let i0 = 0; i0 < len0; i0++) {
          let data1 = data0[i0];
          if (typeof data1 === "string") {
            if (func1(data1) < 1) {
              const err4 = { instancePath: instancePath + "/bind/" + i0, schemaPath: "#/properties/bind/anyOf/1/items/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema48.properties.bind.anyOf[1].items, data: data1 };
              if (vErrors === null) {
                vErrors = [err4];
              } else {
                vErrors.push(err4);
              }
              errors++;
            }
          } else {
            const err5 = { instancePath: instancePath + "/bind/" + i0, schemaPath: "#/properties/bind/anyOf/1/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema48.properties.bind.anyOf[1].items.type, parentSchema: schema48.properties.bind.anyOf[1].items, data: data1 };
            if (vErrors === null) {
              vErrors = [err5];
            } else {
              vErrors.push(err5);
            }
            errors++;
          }
        }
      } else {
        const err6 = { instancePath: instancePath + "/bind", schemaPath: "#/properties/bind/anyOf/1/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema48.properties.bind.anyOf[1].type, parentSchema: schema48.properties.bind.anyOf[1], data: data0 };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
      var _valid0 = _errs5 === errors;
      valid1 = valid1 || _valid0;
      if (!valid1) {
        const err7 = { instancePath: instancePath + "/bind", schemaPath: "#/properties/bind/anyOf", keyword: "anyOf", params: {}, message: "must match a schema in anyOf", schema: schema48.properties.bind.anyOf, parentSchema: schema48.properties.bind, data: data0 };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      } else {
        errors = _errs3;
        if (vErrors !== null) {
          if (_errs3) {
            vErrors.length = _errs3;
          } else {
            vErrors = null;
          }
        }
      }
    }
    if (data.user !== void 0) {
      if (!validate26(data.user, { instancePath: instancePath + "/user", parentData: data, parentDataProperty: "user", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.process !== void 0) {
      if (!validate26(data.process, { instancePath: instancePath + "/process", parentData: data, parentDataProperty: "process", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
  } else {
    const err8 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema48.type, parentSchema: schema48, data };
    if (vErrors === null) {
      vErrors = [err8];
    } else {
      vErrors.push(err8);
    }
    errors++;
  }
  validate35.errors = vErrors;
  return errors === 0;
}
validate35.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
var schema49 = { "type": "object", "description": "The allow-list of listeners.", "required": ["only"], "additionalProperties": false, "properties": { "only": { "type": "array", "description": 'The only listeners allowed: port numbers (any address) or "address:port" strings like "127.0.0.1:6379", "[::1]:5432", "*:22".', "items": { "anyOf": [{ "$ref": "#/$defs/port" }, { "$ref": "#/$defs/addrPort" }] } } } };
var schema52 = { "type": "string", "pattern": "^(\\*|[0-9.]+|\\[[0-9A-Fa-f:.]+\\]|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}):([1-9][0-9]{0,4}|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})$", "patternErrorMessage": 'Expected a port number or "address:port" like "127.0.0.1:6379", "[::1]:5432" or "*:22"', "description": 'An address and port: "127.0.0.1:6379", "[::1]:5432", or "*:22" for any address.' };
var schema50 = { "description": "A TCP/UDP port number, 1-65535.", "anyOf": [{ "type": "integer", "minimum": 1, "maximum": 65535 }, { "$ref": "#/$defs/varRef" }] };
function validate40(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate40.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  const _errs0 = errors;
  let valid0 = false;
  const _errs1 = errors;
  if (!(typeof data == "number" && (!(data % 1) && !isNaN(data)) && isFinite(data))) {
    const err0 = { instancePath, schemaPath: "#/anyOf/0/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema50.anyOf[0].type, parentSchema: schema50.anyOf[0], data };
    if (vErrors === null) {
      vErrors = [err0];
    } else {
      vErrors.push(err0);
    }
    errors++;
  }
  if (typeof data == "number" && isFinite(data)) {
    if (data > 65535 || isNaN(data)) {
      const err1 = { instancePath, schemaPath: "#/anyOf/0/maximum", keyword: "maximum", params: { comparison: "<=", limit: 65535 }, message: "must be <= 65535", schema: 65535, parentSchema: schema50.anyOf[0], data };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    if (data < 1 || isNaN(data)) {
      const err2 = { instancePath, schemaPath: "#/anyOf/0/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema50.anyOf[0], data };
      if (vErrors === null) {
        vErrors = [err2];
      } else {
        vErrors.push(err2);
      }
      errors++;
    }
  }
  var _valid0 = _errs1 === errors;
  valid0 = valid0 || _valid0;
  const _errs3 = errors;
  if (typeof data === "string") {
    if (!pattern7.test(data)) {
      const err3 = { instancePath, schemaPath: "#/$defs/varRef/pattern", keyword: "pattern", params: { pattern: "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$" }, message: 'must match pattern "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$"', schema: "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$", parentSchema: schema33, data };
      if (vErrors === null) {
        vErrors = [err3];
      } else {
        vErrors.push(err3);
      }
      errors++;
    }
  } else {
    const err4 = { instancePath, schemaPath: "#/$defs/varRef/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data };
    if (vErrors === null) {
      vErrors = [err4];
    } else {
      vErrors.push(err4);
    }
    errors++;
  }
  var _valid0 = _errs3 === errors;
  valid0 = valid0 || _valid0;
  if (!valid0) {
    const err5 = { instancePath, schemaPath: "#/anyOf", keyword: "anyOf", params: {}, message: "must match a schema in anyOf", schema: schema50.anyOf, parentSchema: schema50, data };
    if (vErrors === null) {
      vErrors = [err5];
    } else {
      vErrors.push(err5);
    }
    errors++;
  } else {
    errors = _errs0;
    if (vErrors !== null) {
      if (_errs0) {
        vErrors.length = _errs0;
      } else {
        vErrors = null;
      }
    }
  }
  validate40.errors = vErrors;
  return errors === 0;
}
validate40.evaluated = { "dynamicProps": false, "dynamicItems": false };
var pattern11 = new RegExp("^(\\*|[0-9.]+|\\[[0-9A-Fa-f:.]+\\]|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}):([1-9][0-9]{0,4}|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})$", "u");
function validate39(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate39.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.only === void 0) {
      const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "only" }, message: "must have required property 'only'", schema: schema49.required, parentSchema: schema49, data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === "only")) {
        const err1 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema49, data };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.only !== void 0) {
      let data0 = data.only;
      if (Array.isArray(data0)) {
        const len0 = data0.length;
        for (let i0 = 0; i0 < len0; i0++) {
          let data1 = data0[i0];
          const _errs5 = errors;
          let valid3 = false;
          const _errs6 = errors;
          if (!validate40(data1, { instancePath: instancePath + "/only/" + i0, parentData: data0, parentDataProperty: i0, rootData, dynamicAnchors })) {
            vErrors = vErrors === null ? validate40.errors : vErrors.concat(validate40.errors);
            errors = vErrors.length;
          }
          var _valid0 = _errs6 === errors;
          valid3 = valid3 || _valid0;
          const _errs7 = errors;
          if (typeof data1 === "string") {
            if (!pattern11.test(data1)) {
              const err2 = { instancePath: instancePath + "/only/" + i0, schemaPath: "#/$defs/addrPort/pattern", keyword: "pattern", params: { pattern: "^(\\*|[0-9.]+|\\[[0-9A-Fa-f:.]+\\]|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}):([1-9][0-9]{0,4}|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})$" }, message: 'must match pattern "^(\\*|[0-9.]+|\\[[0-9A-Fa-f:.]+\\]|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}):([1-9][0-9]{0,4}|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})$"', schema: "^(\\*|[0-9.]+|\\[[0-9A-Fa-f:.]+\\]|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}):([1-9][0-9]{0,4}|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})$", parentSchema: schema52, data: data1 };
              if (vErrors === null) {
                vErrors = [err2];
              } else {
                vErrors.push(err2);
              }
              errors++;
            }
          } else {
            const err3 = { instancePath: instancePath + "/only/" + i0, schemaPath: "#/$defs/addrPort/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema52.type, parentSchema: schema52, data: data1 };
            if (vErrors === null) {
              vErrors = [err3];
            } else {
              vErrors.push(err3);
            }
            errors++;
          }
          var _valid0 = _errs7 === errors;
          valid3 = valid3 || _valid0;
          if (!valid3) {
            const err4 = { instancePath: instancePath + "/only/" + i0, schemaPath: "#/properties/only/items/anyOf", keyword: "anyOf", params: {}, message: "must match a schema in anyOf", schema: schema49.properties.only.items.anyOf, parentSchema: schema49.properties.only.items, data: data1 };
            if (vErrors === null) {
              vErrors = [err4];
            } else {
              vErrors.push(err4);
            }
            errors++;
          } else {
            errors = _errs5;
            if (vErrors !== null) {
              if (_errs5) {
                vErrors.length = _errs5;
              } else {
                vErrors = null;
              }
            }
          }
        }
      } else {
        const err5 = { instancePath: instancePath + "/only", schemaPath: "#/properties/only/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema49.properties.only.type, parentSchema: schema49.properties.only, data: data0 };
        if (vErrors === null) {
          vErrors = [err5];
        } else {
          vErrors.push(err5);
        }
        errors++;
      }
    }
  } else {
    const err6 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema49.type, parentSchema: schema49, data };
    if (vErrors === null) {
      vErrors = [err6];
    } else {
      vErrors.push(err6);
    }
    errors++;
  }
  validate39.errors = vErrors;
  return errors === 0;
}
validate39.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
var schema53 = { "type": "object", "description": "Matchers for the number of sockets in each state.", "minProperties": 1, "additionalProperties": false, "properties": { "ESTABLISHED": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state ESTABLISHED." }, "SYN_SENT": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state SYN_SENT." }, "SYN_RECV": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state SYN_RECV." }, "FIN_WAIT1": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state FIN_WAIT1." }, "FIN_WAIT2": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state FIN_WAIT2." }, "TIME_WAIT": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state TIME_WAIT." }, "CLOSE": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state CLOSE." }, "CLOSE_WAIT": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state CLOSE_WAIT." }, "LAST_ACK": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state LAST_ACK." }, "LISTEN": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state LISTEN." }, "CLOSING": { "$ref": "#/$defs/matcher", "description": "Matcher for the number of TCP sockets in state CLOSING." } } };
function validate43(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate43.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (Object.keys(data).length < 1) {
      const err0 = { instancePath, schemaPath: "#/minProperties", keyword: "minProperties", params: { limit: 1 }, message: "must NOT have fewer than 1 properties", schema: 1, parentSchema: schema53, data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!func3.call(schema53.properties, key0)) {
        const err1 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema53, data };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.ESTABLISHED !== void 0) {
      if (!validate26(data.ESTABLISHED, { instancePath: instancePath + "/ESTABLISHED", parentData: data, parentDataProperty: "ESTABLISHED", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.SYN_SENT !== void 0) {
      if (!validate26(data.SYN_SENT, { instancePath: instancePath + "/SYN_SENT", parentData: data, parentDataProperty: "SYN_SENT", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.SYN_RECV !== void 0) {
      if (!validate26(data.SYN_RECV, { instancePath: instancePath + "/SYN_RECV", parentData: data, parentDataProperty: "SYN_RECV", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.FIN_WAIT1 !== void 0) {
      if (!validate26(data.FIN_WAIT1, { instancePath: instancePath + "/FIN_WAIT1", parentData: data, parentDataProperty: "FIN_WAIT1", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.FIN_WAIT2 !== void 0) {
      if (!validate26(data.FIN_WAIT2, { instancePath: instancePath + "/FIN_WAIT2", parentData: data, parentDataProperty: "FIN_WAIT2", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.TIME_WAIT !== void 0) {
      if (!validate26(data.TIME_WAIT, { instancePath: instancePath + "/TIME_WAIT", parentData: data, parentDataProperty: "TIME_WAIT", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.CLOSE !== void 0) {
      if (!validate26(data.CLOSE, { instancePath: instancePath + "/CLOSE", parentData: data, parentDataProperty: "CLOSE", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.CLOSE_WAIT !== void 0) {
      if (!validate26(data.CLOSE_WAIT, { instancePath: instancePath + "/CLOSE_WAIT", parentData: data, parentDataProperty: "CLOSE_WAIT", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.LAST_ACK !== void 0) {
      if (!validate26(data.LAST_ACK, { instancePath: instancePath + "/LAST_ACK", parentData: data, parentDataProperty: "LAST_ACK", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.LISTEN !== void 0) {
      if (!validate26(data.LISTEN, { instancePath: instancePath + "/LISTEN", parentData: data, parentDataProperty: "LISTEN", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.CLOSING !== void 0) {
      if (!validate26(data.CLOSING, { instancePath: instancePath + "/CLOSING", parentData: data, parentDataProperty: "CLOSING", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
  } else {
    const err2 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema53.type, parentSchema: schema53, data };
    if (vErrors === null) {
      vErrors = [err2];
    } else {
      vErrors.push(err2);
    }
    errors++;
  }
  validate43.errors = vErrors;
  return errors === 0;
}
validate43.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
var schema54 = { "type": "object", "description": "What must hold of the interface.", "minProperties": 1, "additionalProperties": false, "properties": { "state": { "$ref": "#/$defs/matcher", "description": "Matcher for the operational state (up, down, unknown, ...)." }, "carrier": { "$ref": "#/$defs/matcher", "description": "Matcher for carrier presence (true/false)." }, "mtu": { "$ref": "#/$defs/matcher", "description": "Matcher for the MTU." }, "rx_errors": { "$ref": "#/$defs/matcher", "description": "Matcher for the receive error counter." }, "tx_errors": { "$ref": "#/$defs/matcher", "description": "Matcher for the transmit error counter." }, "rx_dropped": { "$ref": "#/$defs/matcher", "description": "Matcher for the receive drop counter." }, "tx_dropped": { "$ref": "#/$defs/matcher", "description": "Matcher for the transmit drop counter." } } };
function validate57(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate57.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (Object.keys(data).length < 1) {
      const err0 = { instancePath, schemaPath: "#/minProperties", keyword: "minProperties", params: { limit: 1 }, message: "must NOT have fewer than 1 properties", schema: 1, parentSchema: schema54, data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === "state" || key0 === "carrier" || key0 === "mtu" || key0 === "rx_errors" || key0 === "tx_errors" || key0 === "rx_dropped" || key0 === "tx_dropped")) {
        const err1 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema54, data };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.state !== void 0) {
      if (!validate26(data.state, { instancePath: instancePath + "/state", parentData: data, parentDataProperty: "state", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.carrier !== void 0) {
      if (!validate26(data.carrier, { instancePath: instancePath + "/carrier", parentData: data, parentDataProperty: "carrier", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.mtu !== void 0) {
      if (!validate26(data.mtu, { instancePath: instancePath + "/mtu", parentData: data, parentDataProperty: "mtu", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.rx_errors !== void 0) {
      if (!validate26(data.rx_errors, { instancePath: instancePath + "/rx_errors", parentData: data, parentDataProperty: "rx_errors", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.tx_errors !== void 0) {
      if (!validate26(data.tx_errors, { instancePath: instancePath + "/tx_errors", parentData: data, parentDataProperty: "tx_errors", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.rx_dropped !== void 0) {
      if (!validate26(data.rx_dropped, { instancePath: instancePath + "/rx_dropped", parentData: data, parentDataProperty: "rx_dropped", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.tx_dropped !== void 0) {
      if (!validate26(data.tx_dropped, { instancePath: instancePath + "/tx_dropped", parentData: data, parentDataProperty: "tx_dropped", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
  } else {
    const err2 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema54.type, parentSchema: schema54, data };
    if (vErrors === null) {
      vErrors = [err2];
    } else {
      vErrors.push(err2);
    }
    errors++;
  }
  validate57.errors = vErrors;
  return errors === 0;
}
validate57.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
var schema55 = { "type": "object", "description": "What must hold of the route.", "minProperties": 1, "additionalProperties": false, "properties": { "exists": { "type": "boolean", "description": "The route exists (true) or must not exist (false)." }, "via": { "$ref": "#/$defs/matcher", "description": "Matcher for the gateway address." }, "dev": { "$ref": "#/$defs/matcher", "description": "Matcher for the outgoing interface." } } };
function validate66(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate66.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (Object.keys(data).length < 1) {
      const err0 = { instancePath, schemaPath: "#/minProperties", keyword: "minProperties", params: { limit: 1 }, message: "must NOT have fewer than 1 properties", schema: 1, parentSchema: schema55, data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === "exists" || key0 === "via" || key0 === "dev")) {
        const err1 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema55, data };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.exists !== void 0) {
      let data0 = data.exists;
      if (typeof data0 !== "boolean") {
        const err2 = { instancePath: instancePath + "/exists", schemaPath: "#/properties/exists/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema55.properties.exists.type, parentSchema: schema55.properties.exists, data: data0 };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.via !== void 0) {
      if (!validate26(data.via, { instancePath: instancePath + "/via", parentData: data, parentDataProperty: "via", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
    if (data.dev !== void 0) {
      if (!validate26(data.dev, { instancePath: instancePath + "/dev", parentData: data, parentDataProperty: "dev", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
  } else {
    const err3 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema55.type, parentSchema: schema55, data };
    if (vErrors === null) {
      vErrors = [err3];
    } else {
      vErrors.push(err3);
    }
    errors++;
  }
  validate66.errors = vErrors;
  return errors === 0;
}
validate66.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
var schema58 = { "type": "object", "description": "Run the check only when a policy variable matches; otherwise it is skipped.", "required": ["var", "expect"], "additionalProperties": false, "properties": { "var": { "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "patternErrorMessage": "Expected a variable name: letters, digits and _, not starting with a digit", "description": "Name of the variable (without ${})." }, "expect": { "$ref": "#/$defs/matcher", "description": "Matcher for the variable value." } } };
function validate71(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate71.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.var === void 0) {
      const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "var" }, message: "must have required property 'var'", schema: schema58.required, parentSchema: schema58, data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    if (data.expect === void 0) {
      const err1 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "expect" }, message: "must have required property 'expect'", schema: schema58.required, parentSchema: schema58, data };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === "var" || key0 === "expect")) {
        const err2 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema58, data };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.var !== void 0) {
      let data0 = data.var;
      if (typeof data0 === "string") {
        if (!pattern5.test(data0)) {
          const err3 = { instancePath: instancePath + "/var", schemaPath: "#/properties/var/pattern", keyword: "pattern", params: { pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }, message: 'must match pattern "^[A-Za-z_][A-Za-z0-9_]*$"', schema: "^[A-Za-z_][A-Za-z0-9_]*$", parentSchema: schema58.properties.var, data: data0 };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      } else {
        const err4 = { instancePath: instancePath + "/var", schemaPath: "#/properties/var/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema58.properties.var.type, parentSchema: schema58.properties.var, data: data0 };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.expect !== void 0) {
      if (!validate26(data.expect, { instancePath: instancePath + "/expect", parentData: data, parentDataProperty: "expect", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
        errors = vErrors.length;
      }
    }
  } else {
    const err5 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema58.type, parentSchema: schema58, data };
    if (vErrors === null) {
      vErrors = [err5];
    } else {
      vErrors.push(err5);
    }
    errors++;
  }
  validate71.errors = vErrors;
  return errors === 0;
}
validate71.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
var schema59 = { "type": "object", "description": "Resource limits (ulimits) of processes, from /proc/PID/limits. Name the processes with exactly one of process, pid, pidfile, unit, port or listening.", "required": ["item"], "additionalProperties": false, "properties": { "process": { "type": "string", "minLength": 1, "description": "Processes with this command name (comm)." }, "pid": { "description": "The process with this pid.", "anyOf": [{ "type": "integer", "minimum": 1 }, { "$ref": "#/$defs/varRef" }] }, "pidfile": { "type": "string", "minLength": 1, "description": "The process whose pid is in this file." }, "unit": { "type": "string", "minLength": 1, "description": "The main process of this systemd unit." }, "port": { "$ref": "#/$defs/port", "description": "The processes that own a listening socket on this port." }, "listening": { "const": true, "description": "Every process that owns a listening socket." }, "item": { "enum": ["cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile", "memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime"], "description": "The limit: cpu, fsize, data, stack, core, rss, nproc, nofile, memlock, as, locks, sigpending, msgqueue, nice, rtprio, rttime (nofile = open files, nproc = processes, core = core file size, ...)." } } };
function validate74(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate74.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.item === void 0) {
      const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "item" }, message: "must have required property 'item'", schema: schema59.required, parentSchema: schema59, data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === "process" || key0 === "pid" || key0 === "pidfile" || key0 === "unit" || key0 === "port" || key0 === "listening" || key0 === "item")) {
        const err1 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema59, data };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.process !== void 0) {
      let data0 = data.process;
      if (typeof data0 === "string") {
        if (func1(data0) < 1) {
          const err2 = { instancePath: instancePath + "/process", schemaPath: "#/properties/process/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema59.properties.process, data: data0 };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
      } else {
        const err3 = { instancePath: instancePath + "/process", schemaPath: "#/properties/process/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema59.properties.process.type, parentSchema: schema59.properties.process, data: data0 };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
    }
    if (data.pid !== void 0) {
      let data1 = data.pid;
      const _errs5 = errors;
      let valid1 = false;
      const _errs6 = errors;
      if (!(typeof data1 == "number" && (!(data1 % 1) && !isNaN(data1)) && isFinite(data1))) {
        const err4 = { instancePath: instancePath + "/pid", schemaPath: "#/properties/pid/anyOf/0/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema59.properties.pid.anyOf[0].type, parentSchema: schema59.properties.pid.anyOf[0], data: data1 };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
      if (typeof data1 == "number" && isFinite(data1)) {
        if (data1 < 1 || isNaN(data1)) {
          const err5 = { instancePath: instancePath + "/pid", schemaPath: "#/properties/pid/anyOf/0/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema59.properties.pid.anyOf[0], data: data1 };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
      }
      var _valid0 = _errs6 === errors;
      valid1 = valid1 || _valid0;
      const _errs8 = errors;
      if (typeof data1 === "string") {
        if (!pattern7.test(data1)) {
          const err6 = { instancePath: instancePath + "/pid", schemaPath: "#/$defs/varRef/pattern", keyword: "pattern", params: { pattern: "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$" }, message: 'must match pattern "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$"', schema: "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$", parentSchema: schema33, data: data1 };
          if (vErrors === null) {
            vErrors = [err6];
          } else {
            vErrors.push(err6);
          }
          errors++;
        }
      } else {
        const err7 = { instancePath: instancePath + "/pid", schemaPath: "#/$defs/varRef/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data: data1 };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      }
      var _valid0 = _errs8 === errors;
      valid1 = valid1 || _valid0;
      if (!valid1) {
        const err8 = { instancePath: instancePath + "/pid", schemaPath: "#/properties/pid/anyOf", keyword: "anyOf", params: {}, message: "must match a schema in anyOf", schema: schema59.properties.pid.anyOf, parentSchema: schema59.properties.pid, data: data1 };
        if (vErrors === null) {
          vErrors = [err8];
        } else {
          vErrors.push(err8);
        }
        errors++;
      } else {
        errors = _errs5;
        if (vErrors !== null) {
          if (_errs5) {
            vErrors.length = _errs5;
          } else {
            vErrors = null;
          }
        }
      }
    }
    if (data.pidfile !== void 0) {
      let data2 = data.pidfile;
      if (typeof data2 === "string") {
        if (func1(data2) < 1) {
          const err9 = { instancePath: instancePath + "/pidfile", schemaPath: "#/properties/pidfile/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema59.properties.pidfile, data: data2 };
          if (vErrors === null) {
            vErrors = [err9];
          } else {
            vErrors.push(err9);
          }
          errors++;
        }
      } else {
        const err10 = { instancePath: instancePath + "/pidfile", schemaPath: "#/properties/pidfile/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema59.properties.pidfile.type, parentSchema: schema59.properties.pidfile, data: data2 };
        if (vErrors === null) {
          vErrors = [err10];
        } else {
          vErrors.push(err10);
        }
        errors++;
      }
    }
    if (data.unit !== void 0) {
      let data3 = data.unit;
      if (typeof data3 === "string") {
        if (func1(data3) < 1) {
          const err11 = { instancePath: instancePath + "/unit", schemaPath: "#/properties/unit/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema59.properties.unit, data: data3 };
          if (vErrors === null) {
            vErrors = [err11];
          } else {
            vErrors.push(err11);
          }
          errors++;
        }
      } else {
        const err12 = { instancePath: instancePath + "/unit", schemaPath: "#/properties/unit/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema59.properties.unit.type, parentSchema: schema59.properties.unit, data: data3 };
        if (vErrors === null) {
          vErrors = [err12];
        } else {
          vErrors.push(err12);
        }
        errors++;
      }
    }
    if (data.port !== void 0) {
      if (!validate40(data.port, { instancePath: instancePath + "/port", parentData: data, parentDataProperty: "port", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate40.errors : vErrors.concat(validate40.errors);
        errors = vErrors.length;
      }
    }
    if (data.listening !== void 0) {
      let data5 = data.listening;
      if (true !== data5) {
        const err13 = { instancePath: instancePath + "/listening", schemaPath: "#/properties/listening/const", keyword: "const", params: { allowedValue: true }, message: "must be equal to constant", schema: true, parentSchema: schema59.properties.listening, data: data5 };
        if (vErrors === null) {
          vErrors = [err13];
        } else {
          vErrors.push(err13);
        }
        errors++;
      }
    }
    if (data.item !== void 0) {
      let data6 = data.item;
      if (!(data6 === "cpu" || data6 === "fsize" || data6 === "data" || data6 === "stack" || data6 === "core" || data6 === "rss" || data6 === "nproc" || data6 === "nofile" || data6 === "memlock" || data6 === "as" || data6 === "locks" || data6 === "sigpending" || data6 === "msgqueue" || data6 === "nice" || data6 === "rtprio" || data6 === "rttime")) {
        const err14 = { instancePath: instancePath + "/item", schemaPath: "#/properties/item/enum", keyword: "enum", params: { allowedValues: schema59.properties.item.enum }, message: "must be equal to one of the allowed values", schema: schema59.properties.item.enum, parentSchema: schema59.properties.item, data: data6 };
        if (vErrors === null) {
          vErrors = [err14];
        } else {
          vErrors.push(err14);
        }
        errors++;
      }
    }
  } else {
    const err15 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema59.type, parentSchema: schema59, data };
    if (vErrors === null) {
      vErrors = [err15];
    } else {
      vErrors.push(err15);
    }
    errors++;
  }
  validate74.errors = vErrors;
  return errors === 0;
}
validate74.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
var schema61 = { "type": "object", "description": "The sockets listening on one port.", "required": ["port"], "additionalProperties": false, "properties": { "port": { "$ref": "#/$defs/port", "description": "Port number." }, "protocol": { "enum": ["tcp", "udp"], "default": "tcp", "description": "tcp (default) or udp." } } };
function validate77(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate77.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.port === void 0) {
      const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "port" }, message: "must have required property 'port'", schema: schema61.required, parentSchema: schema61, data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === "port" || key0 === "protocol")) {
        const err1 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema61, data };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.port !== void 0) {
      if (!validate40(data.port, { instancePath: instancePath + "/port", parentData: data, parentDataProperty: "port", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate40.errors : vErrors.concat(validate40.errors);
        errors = vErrors.length;
      }
    }
    if (data.protocol !== void 0) {
      let data1 = data.protocol;
      if (!(data1 === "tcp" || data1 === "udp")) {
        const err2 = { instancePath: instancePath + "/protocol", schemaPath: "#/properties/protocol/enum", keyword: "enum", params: { allowedValues: schema61.properties.protocol.enum }, message: "must be equal to one of the allowed values", schema: schema61.properties.protocol.enum, parentSchema: schema61.properties.protocol, data: data1 };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
  } else {
    const err3 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema61.type, parentSchema: schema61, data };
    if (vErrors === null) {
      vErrors = [err3];
    } else {
      vErrors.push(err3);
    }
    errors++;
  }
  validate77.errors = vErrors;
  return errors === 0;
}
validate77.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
var schema65 = { "description": 'Destination of the route: "default", or a CIDR such as 10.0.0.0/8.', "anyOf": [{ "type": "string", "pattern": "^(default|[0-9.]+/[0-9]{1,2}|[0-9A-Fa-f:]+/[0-9]{1,3})$", "patternErrorMessage": 'Expected "default" or a CIDR like 10.0.0.0/8' }, { "$ref": "#/$defs/varRef" }] };
var pattern17 = new RegExp("^(default|[0-9.]+/[0-9]{1,2}|[0-9A-Fa-f:]+/[0-9]{1,3})$", "u");
function validate80(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate80.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  const _errs0 = errors;
  let valid0 = false;
  const _errs1 = errors;
  if (typeof data === "string") {
    if (!pattern17.test(data)) {
      const err0 = { instancePath, schemaPath: "#/anyOf/0/pattern", keyword: "pattern", params: { pattern: "^(default|[0-9.]+/[0-9]{1,2}|[0-9A-Fa-f:]+/[0-9]{1,3})$" }, message: 'must match pattern "^(default|[0-9.]+/[0-9]{1,2}|[0-9A-Fa-f:]+/[0-9]{1,3})$"', schema: "^(default|[0-9.]+/[0-9]{1,2}|[0-9A-Fa-f:]+/[0-9]{1,3})$", parentSchema: schema65.anyOf[0], data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
  } else {
    const err1 = { instancePath, schemaPath: "#/anyOf/0/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema65.anyOf[0].type, parentSchema: schema65.anyOf[0], data };
    if (vErrors === null) {
      vErrors = [err1];
    } else {
      vErrors.push(err1);
    }
    errors++;
  }
  var _valid0 = _errs1 === errors;
  valid0 = valid0 || _valid0;
  const _errs4 = errors;
  if (typeof data === "string") {
    if (!pattern7.test(data)) {
      const err2 = { instancePath, schemaPath: "#/$defs/varRef/pattern", keyword: "pattern", params: { pattern: "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$" }, message: 'must match pattern "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$"', schema: "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$", parentSchema: schema33, data };
      if (vErrors === null) {
        vErrors = [err2];
      } else {
        vErrors.push(err2);
      }
      errors++;
    }
  } else {
    const err3 = { instancePath, schemaPath: "#/$defs/varRef/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data };
    if (vErrors === null) {
      vErrors = [err3];
    } else {
      vErrors.push(err3);
    }
    errors++;
  }
  var _valid0 = _errs4 === errors;
  valid0 = valid0 || _valid0;
  if (!valid0) {
    const err4 = { instancePath, schemaPath: "#/anyOf", keyword: "anyOf", params: {}, message: "must match a schema in anyOf", schema: schema65.anyOf, parentSchema: schema65, data };
    if (vErrors === null) {
      vErrors = [err4];
    } else {
      vErrors.push(err4);
    }
    errors++;
  } else {
    errors = _errs0;
    if (vErrors !== null) {
      if (_errs0) {
        vErrors.length = _errs0;
      } else {
        vErrors = null;
      }
    }
  }
  validate80.errors = vErrors;
  return errors === 0;
}
validate80.evaluated = { "dynamicProps": false, "dynamicItems": false };
var pattern14 = new RegExp("^\\S+$", "u");
var pattern16 = new RegExp("^(ListenOverflows|ListenDrops|RetransRatio|ListenOverflowRatio|[A-Za-z][A-Za-z0-9]*\\.[A-Za-z][A-Za-z0-9]*)$", "u");
function validate25(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate25.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  const _errs2 = errors;
  let valid1 = true;
  const _errs3 = errors;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    let missing0;
    if (data.enabled === void 0 && (missing0 = "enabled")) {
      const err0 = {};
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    } else {
      if (data.enabled !== void 0) {
        if (false !== data.enabled) {
          const err1 = {};
          if (vErrors === null) {
            vErrors = [err1];
          } else {
            vErrors.push(err1);
          }
          errors++;
        }
      }
    }
  }
  var _valid0 = _errs3 === errors;
  errors = _errs2;
  if (vErrors !== null) {
    if (_errs2) {
      vErrors.length = _errs2;
    } else {
      vErrors = null;
    }
  }
  if (!_valid0) {
    const _errs5 = errors;
    if (data && typeof data == "object" && !Array.isArray(data)) {
      if (data.expect === void 0) {
        const err2 = { instancePath, schemaPath: "#/allOf/0/else/required", keyword: "required", params: { missingProperty: "expect" }, message: "must have required property 'expect'", schema: schema36.allOf[0].else.required, parentSchema: schema36.allOf[0].else, data };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    var _valid0 = _errs5 === errors;
    valid1 = _valid0;
  }
  if (!valid1) {
    const err3 = { instancePath, schemaPath: "#/allOf/0/if", keyword: "if", params: { failingKeyword: "else" }, message: 'must match "else" schema', schema: schema36.allOf[0].if, parentSchema: schema36.allOf[0], data };
    if (vErrors === null) {
      vErrors = [err3];
    } else {
      vErrors.push(err3);
    }
    errors++;
  }
  const _errs7 = errors;
  let valid3 = true;
  const _errs8 = errors;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    let missing1;
    if (data.sysctl === void 0 && (missing1 = "sysctl")) {
      const err4 = {};
      if (vErrors === null) {
        vErrors = [err4];
      } else {
        vErrors.push(err4);
      }
      errors++;
    }
  }
  var _valid1 = _errs8 === errors;
  errors = _errs7;
  if (vErrors !== null) {
    if (_errs7) {
      vErrors.length = _errs7;
    } else {
      vErrors = null;
    }
  }
  if (_valid1) {
    const _errs9 = errors;
    if (data && typeof data == "object" && !Array.isArray(data)) {
      if (data.expect !== void 0) {
        if (!validate26(data.expect, { instancePath: instancePath + "/expect", parentData: data, parentDataProperty: "expect", rootData, dynamicAnchors })) {
          vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
          errors = vErrors.length;
        }
      }
    }
    var _valid1 = _errs9 === errors;
    valid3 = _valid1;
    if (valid3) {
      var props0 = {};
      props0.expect = true;
    }
  }
  if (!valid3) {
    const err5 = { instancePath, schemaPath: "#/allOf/1/if", keyword: "if", params: { failingKeyword: "then" }, message: 'must match "then" schema', schema: schema36.allOf[1].if, parentSchema: schema36.allOf[1], data };
    if (vErrors === null) {
      vErrors = [err5];
    } else {
      vErrors.push(err5);
    }
    errors++;
  }
  if (props0 !== true) {
    props0 = props0 || {};
    props0.enabled = true;
  }
  const _errs12 = errors;
  let valid5 = true;
  const _errs13 = errors;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    let missing2;
    if (data.limits === void 0 && (missing2 = "limits")) {
      const err6 = {};
      if (vErrors === null) {
        vErrors = [err6];
      } else {
        vErrors.push(err6);
      }
      errors++;
    }
  }
  var _valid2 = _errs13 === errors;
  errors = _errs12;
  if (vErrors !== null) {
    if (_errs12) {
      vErrors.length = _errs12;
    } else {
      vErrors = null;
    }
  }
  if (_valid2) {
    const _errs14 = errors;
    if (data && typeof data == "object" && !Array.isArray(data)) {
      if (data.expect !== void 0) {
        if (!validate31(data.expect, { instancePath: instancePath + "/expect", parentData: data, parentDataProperty: "expect", rootData, dynamicAnchors })) {
          vErrors = vErrors === null ? validate31.errors : vErrors.concat(validate31.errors);
          errors = vErrors.length;
        }
      }
    }
    var _valid2 = _errs14 === errors;
    valid5 = _valid2;
    if (valid5) {
      var props1 = {};
      props1.expect = true;
    }
  }
  if (!valid5) {
    const err7 = { instancePath, schemaPath: "#/allOf/2/if", keyword: "if", params: { failingKeyword: "then" }, message: 'must match "then" schema', schema: schema36.allOf[2].if, parentSchema: schema36.allOf[2], data };
    if (vErrors === null) {
      vErrors = [err7];
    } else {
      vErrors.push(err7);
    }
    errors++;
  }
  if (props0 !== true && props1 !== void 0) {
    if (props1 === true) {
      props0 = true;
    } else {
      props0 = props0 || {};
      Object.assign(props0, props1);
    }
  }
  const _errs17 = errors;
  let valid7 = true;
  const _errs18 = errors;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    let missing3;
    if (data.listener === void 0 && (missing3 = "listener")) {
      const err8 = {};
      if (vErrors === null) {
        vErrors = [err8];
      } else {
        vErrors.push(err8);
      }
      errors++;
    }
  }
  var _valid3 = _errs18 === errors;
  errors = _errs17;
  if (vErrors !== null) {
    if (_errs17) {
      vErrors.length = _errs17;
    } else {
      vErrors = null;
    }
  }
  if (_valid3) {
    const _errs19 = errors;
    if (data && typeof data == "object" && !Array.isArray(data)) {
      if (data.expect !== void 0) {
        if (!validate35(data.expect, { instancePath: instancePath + "/expect", parentData: data, parentDataProperty: "expect", rootData, dynamicAnchors })) {
          vErrors = vErrors === null ? validate35.errors : vErrors.concat(validate35.errors);
          errors = vErrors.length;
        }
      }
    }
    var _valid3 = _errs19 === errors;
    valid7 = _valid3;
    if (valid7) {
      var props2 = {};
      props2.expect = true;
    }
  }
  if (!valid7) {
    const err9 = { instancePath, schemaPath: "#/allOf/3/if", keyword: "if", params: { failingKeyword: "then" }, message: 'must match "then" schema', schema: schema36.allOf[3].if, parentSchema: schema36.allOf[3], data };
    if (vErrors === null) {
      vErrors = [err9];
    } else {
      vErrors.push(err9);
    }
    errors++;
  }
  if (props0 !== true && props2 !== void 0) {
    if (props2 === true) {
      props0 = true;
    } else {
      props0 = props0 || {};
      Object.assign(props0, props2);
    }
  }
  const _errs22 = errors;
  let valid9 = true;
  const _errs23 = errors;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    let missing4;
    if (data.listeners === void 0 && (missing4 = "listeners")) {
      const err10 = {};
      if (vErrors === null) {
        vErrors = [err10];
      } else {
        vErrors.push(err10);
      }
      errors++;
    }
  }
  var _valid4 = _errs23 === errors;
  errors = _errs22;
  if (vErrors !== null) {
    if (_errs22) {
      vErrors.length = _errs22;
    } else {
      vErrors = null;
    }
  }
  if (_valid4) {
    const _errs24 = errors;
    if (data && typeof data == "object" && !Array.isArray(data)) {
      if (data.expect !== void 0) {
        if (!validate39(data.expect, { instancePath: instancePath + "/expect", parentData: data, parentDataProperty: "expect", rootData, dynamicAnchors })) {
          vErrors = vErrors === null ? validate39.errors : vErrors.concat(validate39.errors);
          errors = vErrors.length;
        }
      }
    }
    var _valid4 = _errs24 === errors;
    valid9 = _valid4;
    if (valid9) {
      var props3 = {};
      props3.expect = true;
    }
  }
  if (!valid9) {
    const err11 = { instancePath, schemaPath: "#/allOf/4/if", keyword: "if", params: { failingKeyword: "then" }, message: 'must match "then" schema', schema: schema36.allOf[4].if, parentSchema: schema36.allOf[4], data };
    if (vErrors === null) {
      vErrors = [err11];
    } else {
      vErrors.push(err11);
    }
    errors++;
  }
  if (props0 !== true && props3 !== void 0) {
    if (props3 === true) {
      props0 = true;
    } else {
      props0 = props0 || {};
      Object.assign(props0, props3);
    }
  }
  const _errs27 = errors;
  let valid11 = true;
  const _errs28 = errors;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    let missing5;
    if (data.tcpStates === void 0 && (missing5 = "tcpStates")) {
      const err12 = {};
      if (vErrors === null) {
        vErrors = [err12];
      } else {
        vErrors.push(err12);
      }
      errors++;
    }
  }
  var _valid5 = _errs28 === errors;
  errors = _errs27;
  if (vErrors !== null) {
    if (_errs27) {
      vErrors.length = _errs27;
    } else {
      vErrors = null;
    }
  }
  if (_valid5) {
    const _errs29 = errors;
    if (data && typeof data == "object" && !Array.isArray(data)) {
      if (data.expect !== void 0) {
        if (!validate43(data.expect, { instancePath: instancePath + "/expect", parentData: data, parentDataProperty: "expect", rootData, dynamicAnchors })) {
          vErrors = vErrors === null ? validate43.errors : vErrors.concat(validate43.errors);
          errors = vErrors.length;
        }
      }
    }
    var _valid5 = _errs29 === errors;
    valid11 = _valid5;
    if (valid11) {
      var props4 = {};
      props4.expect = true;
    }
  }
  if (!valid11) {
    const err13 = { instancePath, schemaPath: "#/allOf/5/if", keyword: "if", params: { failingKeyword: "then" }, message: 'must match "then" schema', schema: schema36.allOf[5].if, parentSchema: schema36.allOf[5], data };
    if (vErrors === null) {
      vErrors = [err13];
    } else {
      vErrors.push(err13);
    }
    errors++;
  }
  if (props0 !== true && props4 !== void 0) {
    if (props4 === true) {
      props0 = true;
    } else {
      props0 = props0 || {};
      Object.assign(props0, props4);
    }
  }
  const _errs32 = errors;
  let valid13 = true;
  const _errs33 = errors;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    let missing6;
    if (data.netstat === void 0 && (missing6 = "netstat")) {
      const err14 = {};
      if (vErrors === null) {
        vErrors = [err14];
      } else {
        vErrors.push(err14);
      }
      errors++;
    }
  }
  var _valid6 = _errs33 === errors;
  errors = _errs32;
  if (vErrors !== null) {
    if (_errs32) {
      vErrors.length = _errs32;
    } else {
      vErrors = null;
    }
  }
  if (_valid6) {
    const _errs34 = errors;
    if (data && typeof data == "object" && !Array.isArray(data)) {
      if (data.expect !== void 0) {
        if (!validate26(data.expect, { instancePath: instancePath + "/expect", parentData: data, parentDataProperty: "expect", rootData, dynamicAnchors })) {
          vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
          errors = vErrors.length;
        }
      }
    }
    var _valid6 = _errs34 === errors;
    valid13 = _valid6;
    if (valid13) {
      var props5 = {};
      props5.expect = true;
    }
  }
  if (!valid13) {
    const err15 = { instancePath, schemaPath: "#/allOf/6/if", keyword: "if", params: { failingKeyword: "then" }, message: 'must match "then" schema', schema: schema36.allOf[6].if, parentSchema: schema36.allOf[6], data };
    if (vErrors === null) {
      vErrors = [err15];
    } else {
      vErrors.push(err15);
    }
    errors++;
  }
  if (props0 !== true && props5 !== void 0) {
    if (props5 === true) {
      props0 = true;
    } else {
      props0 = props0 || {};
      Object.assign(props0, props5);
    }
  }
  const _errs37 = errors;
  let valid15 = true;
  const _errs38 = errors;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    let missing7;
    if (data.interface === void 0 && (missing7 = "interface")) {
      const err16 = {};
      if (vErrors === null) {
        vErrors = [err16];
      } else {
        vErrors.push(err16);
      }
      errors++;
    }
  }
  var _valid7 = _errs38 === errors;
  errors = _errs37;
  if (vErrors !== null) {
    if (_errs37) {
      vErrors.length = _errs37;
    } else {
      vErrors = null;
    }
  }
  if (_valid7) {
    const _errs39 = errors;
    if (data && typeof data == "object" && !Array.isArray(data)) {
      if (data.expect !== void 0) {
        if (!validate57(data.expect, { instancePath: instancePath + "/expect", parentData: data, parentDataProperty: "expect", rootData, dynamicAnchors })) {
          vErrors = vErrors === null ? validate57.errors : vErrors.concat(validate57.errors);
          errors = vErrors.length;
        }
      }
    }
    var _valid7 = _errs39 === errors;
    valid15 = _valid7;
    if (valid15) {
      var props6 = {};
      props6.expect = true;
    }
  }
  if (!valid15) {
    const err17 = { instancePath, schemaPath: "#/allOf/7/if", keyword: "if", params: { failingKeyword: "then" }, message: 'must match "then" schema', schema: schema36.allOf[7].if, parentSchema: schema36.allOf[7], data };
    if (vErrors === null) {
      vErrors = [err17];
    } else {
      vErrors.push(err17);
    }
    errors++;
  }
  if (props0 !== true && props6 !== void 0) {
    if (props6 === true) {
      props0 = true;
    } else {
      props0 = props0 || {};
      Object.assign(props0, props6);
    }
  }
  const _errs42 = errors;
  let valid17 = true;
  const _errs43 = errors;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    let missing8;
    if (data.route === void 0 && (missing8 = "route")) {
      const err18 = {};
      if (vErrors === null) {
        vErrors = [err18];
      } else {
        vErrors.push(err18);
      }
      errors++;
    }
  }
  var _valid8 = _errs43 === errors;
  errors = _errs42;
  if (vErrors !== null) {
    if (_errs42) {
      vErrors.length = _errs42;
    } else {
      vErrors = null;
    }
  }
  if (_valid8) {
    const _errs44 = errors;
    if (data && typeof data == "object" && !Array.isArray(data)) {
      if (data.expect !== void 0) {
        if (!validate66(data.expect, { instancePath: instancePath + "/expect", parentData: data, parentDataProperty: "expect", rootData, dynamicAnchors })) {
          vErrors = vErrors === null ? validate66.errors : vErrors.concat(validate66.errors);
          errors = vErrors.length;
        }
      }
    }
    var _valid8 = _errs44 === errors;
    valid17 = _valid8;
    if (valid17) {
      var props7 = {};
      props7.expect = true;
    }
  }
  if (!valid17) {
    const err19 = { instancePath, schemaPath: "#/allOf/8/if", keyword: "if", params: { failingKeyword: "then" }, message: 'must match "then" schema', schema: schema36.allOf[8].if, parentSchema: schema36.allOf[8], data };
    if (vErrors === null) {
      vErrors = [err19];
    } else {
      vErrors.push(err19);
    }
    errors++;
  }
  if (props0 !== true && props7 !== void 0) {
    if (props7 === true) {
      props0 = true;
    } else {
      props0 = props0 || {};
      Object.assign(props0, props7);
    }
  }
  const _errs47 = errors;
  let valid19 = true;
  const _errs48 = errors;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    let missing9;
    if (data.firewall === void 0 && (missing9 = "firewall")) {
      const err20 = {};
      if (vErrors === null) {
        vErrors = [err20];
      } else {
        vErrors.push(err20);
      }
      errors++;
    }
  }
  var _valid9 = _errs48 === errors;
  errors = _errs47;
  if (vErrors !== null) {
    if (_errs47) {
      vErrors.length = _errs47;
    } else {
      vErrors = null;
    }
  }
  if (_valid9) {
    const _errs49 = errors;
    if (data && typeof data == "object" && !Array.isArray(data)) {
      if (data.expect !== void 0) {
        let data9 = data.expect;
        if (data9 && typeof data9 == "object" && !Array.isArray(data9)) {
          if (data9.policy === void 0) {
            const err21 = { instancePath: instancePath + "/expect", schemaPath: "#/$defs/firewallExpect/required", keyword: "required", params: { missingProperty: "policy" }, message: "must have required property 'policy'", schema: schema56.required, parentSchema: schema56, data: data9 };
            if (vErrors === null) {
              vErrors = [err21];
            } else {
              vErrors.push(err21);
            }
            errors++;
          }
          for (const key0 in data9) {
            if (!(key0 === "policy")) {
              const err22 = { instancePath: instancePath + "/expect", schemaPath: "#/$defs/firewallExpect/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema56, data: data9 };
              if (vErrors === null) {
                vErrors = [err22];
              } else {
                vErrors.push(err22);
              }
              errors++;
            }
          }
          if (data9.policy !== void 0) {
            let data10 = data9.policy;
            const _errs55 = errors;
            let valid23 = false;
            const _errs56 = errors;
            if (!(data10 === "drop" || data10 === "reject" || data10 === "accept")) {
              const err23 = { instancePath: instancePath + "/expect/policy", schemaPath: "#/$defs/firewallExpect/properties/policy/anyOf/0/enum", keyword: "enum", params: { allowedValues: schema56.properties.policy.anyOf[0].enum }, message: "must be equal to one of the allowed values", schema: schema56.properties.policy.anyOf[0].enum, parentSchema: schema56.properties.policy.anyOf[0], data: data10 };
              if (vErrors === null) {
                vErrors = [err23];
              } else {
                vErrors.push(err23);
              }
              errors++;
            }
            var _valid10 = _errs56 === errors;
            valid23 = valid23 || _valid10;
            const _errs57 = errors;
            if (Array.isArray(data10)) {
              if (data10.length < 1) {
                const err24 = { instancePath: instancePath + "/expect/policy", schemaPath: "#/$defs/firewallExpect/properties/policy/anyOf/1/minItems", keyword: "minItems", params: { limit: 1 }, message: "must NOT have fewer than 1 items", schema: 1, parentSchema: schema56.properties.policy.anyOf[1], data: data10 };
                if (vErrors === null) {
                  vErrors = [err24];
                } else {
                  vErrors.push(err24);
                }
                errors++;
              }
              const len0 = data10.length;
              for (let i0 = 0; i0 < len0; i0++) {
                let data11 = data10[i0];
                if (!(data11 === "drop" || data11 === "reject" || data11 === "accept")) {
                  const err25 = { instancePath: instancePath + "/expect/policy/" + i0, schemaPath: "#/$defs/firewallExpect/properties/policy/anyOf/1/items/enum", keyword: "enum", params: { allowedValues: schema56.properties.policy.anyOf[1].items.enum }, message: "must be equal to one of the allowed values", schema: schema56.properties.policy.anyOf[1].items.enum, parentSchema: schema56.properties.policy.anyOf[1].items, data: data11 };
                  if (vErrors === null) {
                    vErrors = [err25];
                  } else {
                    vErrors.push(err25);
                  }
                  errors++;
                }
              }
            } else {
              const err26 = { instancePath: instancePath + "/expect/policy", schemaPath: "#/$defs/firewallExpect/properties/policy/anyOf/1/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema56.properties.policy.anyOf[1].type, parentSchema: schema56.properties.policy.anyOf[1], data: data10 };
              if (vErrors === null) {
                vErrors = [err26];
              } else {
                vErrors.push(err26);
              }
              errors++;
            }
            var _valid10 = _errs57 === errors;
            valid23 = valid23 || _valid10;
            if (!valid23) {
              const err27 = { instancePath: instancePath + "/expect/policy", schemaPath: "#/$defs/firewallExpect/properties/policy/anyOf", keyword: "anyOf", params: {}, message: "must match a schema in anyOf", schema: schema56.properties.policy.anyOf, parentSchema: schema56.properties.policy, data: data10 };
              if (vErrors === null) {
                vErrors = [err27];
              } else {
                vErrors.push(err27);
              }
              errors++;
            } else {
              errors = _errs55;
              if (vErrors !== null) {
                if (_errs55) {
                  vErrors.length = _errs55;
                } else {
                  vErrors = null;
                }
              }
            }
          }
        } else {
          const err28 = { instancePath: instancePath + "/expect", schemaPath: "#/$defs/firewallExpect/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema56.type, parentSchema: schema56, data: data9 };
          if (vErrors === null) {
            vErrors = [err28];
          } else {
            vErrors.push(err28);
          }
          errors++;
        }
      }
    }
    var _valid9 = _errs49 === errors;
    valid19 = _valid9;
    if (valid19) {
      var props8 = {};
      props8.expect = true;
    }
  }
  if (!valid19) {
    const err29 = { instancePath, schemaPath: "#/allOf/9/if", keyword: "if", params: { failingKeyword: "then" }, message: 'must match "then" schema', schema: schema36.allOf[9].if, parentSchema: schema36.allOf[9], data };
    if (vErrors === null) {
      vErrors = [err29];
    } else {
      vErrors.push(err29);
    }
    errors++;
  }
  if (props0 !== true && props8 !== void 0) {
    if (props8 === true) {
      props0 = true;
    } else {
      props0 = props0 || {};
      Object.assign(props0, props8);
    }
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.id === void 0) {
      const err30 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "id" }, message: "must have required property 'id'", schema: schema36.required, parentSchema: schema36, data };
      if (vErrors === null) {
        vErrors = [err30];
      } else {
        vErrors.push(err30);
      }
      errors++;
    }
    for (const key1 in data) {
      if (!func3.call(schema36.properties, key1)) {
        const err31 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key1 }, message: "must NOT have additional properties", schema: false, parentSchema: schema36, data };
        if (vErrors === null) {
          vErrors = [err31];
        } else {
          vErrors.push(err31);
        }
        errors++;
      }
    }
    if (data.id !== void 0) {
      let data12 = data.id;
      if (typeof data12 === "string") {
        if (!pattern8.test(data12)) {
          const err32 = { instancePath: instancePath + "/id", schemaPath: "#/$defs/id/pattern", keyword: "pattern", params: { pattern: "^[a-z0-9][a-z0-9._-]*$" }, message: 'must match pattern "^[a-z0-9][a-z0-9._-]*$"', schema: "^[a-z0-9][a-z0-9._-]*$", parentSchema: schema35, data: data12 };
          if (vErrors === null) {
            vErrors = [err32];
          } else {
            vErrors.push(err32);
          }
          errors++;
        }
      } else {
        const err33 = { instancePath: instancePath + "/id", schemaPath: "#/$defs/id/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema35.type, parentSchema: schema35, data: data12 };
        if (vErrors === null) {
          vErrors = [err33];
        } else {
          vErrors.push(err33);
        }
        errors++;
      }
    }
    if (data.title !== void 0) {
      let data13 = data.title;
      if (typeof data13 !== "string") {
        const err34 = { instancePath: instancePath + "/title", schemaPath: "#/properties/title/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema36.properties.title.type, parentSchema: schema36.properties.title, data: data13 };
        if (vErrors === null) {
          vErrors = [err34];
        } else {
          vErrors.push(err34);
        }
        errors++;
      }
    }
    if (data.severity !== void 0) {
      let data14 = data.severity;
      if (!(data14 === "critical" || data14 === "high" || data14 === "medium" || data14 === "low" || data14 === "info")) {
        const err35 = { instancePath: instancePath + "/severity", schemaPath: "#/properties/severity/enum", keyword: "enum", params: { allowedValues: schema36.properties.severity.enum }, message: "must be equal to one of the allowed values", schema: schema36.properties.severity.enum, parentSchema: schema36.properties.severity, data: data14 };
        if (vErrors === null) {
          vErrors = [err35];
        } else {
          vErrors.push(err35);
        }
        errors++;
      }
    }
    if (data.rationale !== void 0) {
      let data15 = data.rationale;
      if (typeof data15 !== "string") {
        const err36 = { instancePath: instancePath + "/rationale", schemaPath: "#/properties/rationale/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema36.properties.rationale.type, parentSchema: schema36.properties.rationale, data: data15 };
        if (vErrors === null) {
          vErrors = [err36];
        } else {
          vErrors.push(err36);
        }
        errors++;
      }
    }
    if (data.remediation !== void 0) {
      let data16 = data.remediation;
      if (typeof data16 !== "string") {
        const err37 = { instancePath: instancePath + "/remediation", schemaPath: "#/properties/remediation/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema36.properties.remediation.type, parentSchema: schema36.properties.remediation, data: data16 };
        if (vErrors === null) {
          vErrors = [err37];
        } else {
          vErrors.push(err37);
        }
        errors++;
      }
    }
    if (data.tags !== void 0) {
      let data17 = data.tags;
      if (Array.isArray(data17)) {
        const len1 = data17.length;
        for (let i1 = 0; i1 < len1; i1++) {
          let data18 = data17[i1];
          if (typeof data18 !== "string") {
            const err38 = { instancePath: instancePath + "/tags/" + i1, schemaPath: "#/properties/tags/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema36.properties.tags.items.type, parentSchema: schema36.properties.tags.items, data: data18 };
            if (vErrors === null) {
              vErrors = [err38];
            } else {
              vErrors.push(err38);
            }
            errors++;
          }
        }
      } else {
        const err39 = { instancePath: instancePath + "/tags", schemaPath: "#/properties/tags/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema36.properties.tags.type, parentSchema: schema36.properties.tags, data: data17 };
        if (vErrors === null) {
          vErrors = [err39];
        } else {
          vErrors.push(err39);
        }
        errors++;
      }
    }
    if (data.refs !== void 0) {
      let data19 = data.refs;
      if (Array.isArray(data19)) {
        const len2 = data19.length;
        for (let i2 = 0; i2 < len2; i2++) {
          let data20 = data19[i2];
          if (typeof data20 !== "string") {
            const err40 = { instancePath: instancePath + "/refs/" + i2, schemaPath: "#/properties/refs/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema36.properties.refs.items.type, parentSchema: schema36.properties.refs.items, data: data20 };
            if (vErrors === null) {
              vErrors = [err40];
            } else {
              vErrors.push(err40);
            }
            errors++;
          }
        }
      } else {
        const err41 = { instancePath: instancePath + "/refs", schemaPath: "#/properties/refs/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema36.properties.refs.type, parentSchema: schema36.properties.refs, data: data19 };
        if (vErrors === null) {
          vErrors = [err41];
        } else {
          vErrors.push(err41);
        }
        errors++;
      }
    }
    if (data.timeout !== void 0) {
      if (!validate21(data.timeout, { instancePath: instancePath + "/timeout", parentData: data, parentDataProperty: "timeout", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
        errors = vErrors.length;
      }
    }
    if (data.when !== void 0) {
      if (!validate71(data.when, { instancePath: instancePath + "/when", parentData: data, parentDataProperty: "when", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate71.errors : vErrors.concat(validate71.errors);
        errors = vErrors.length;
      }
    }
    if (data.enabled !== void 0) {
      let data23 = data.enabled;
      if (typeof data23 !== "boolean") {
        const err42 = { instancePath: instancePath + "/enabled", schemaPath: "#/properties/enabled/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema36.properties.enabled.type, parentSchema: schema36.properties.enabled, data: data23 };
        if (vErrors === null) {
          vErrors = [err42];
        } else {
          vErrors.push(err42);
        }
        errors++;
      }
    }
    if (data.sysctl !== void 0) {
      let data24 = data.sysctl;
      if (typeof data24 === "string") {
        if (!pattern14.test(data24)) {
          const err43 = { instancePath: instancePath + "/sysctl", schemaPath: "#/properties/sysctl/pattern", keyword: "pattern", params: { pattern: "^\\S+$" }, message: 'must match pattern "^\\S+$"', schema: "^\\S+$", parentSchema: schema36.properties.sysctl, data: data24 };
          if (vErrors === null) {
            vErrors = [err43];
          } else {
            vErrors.push(err43);
          }
          errors++;
        }
      } else {
        const err44 = { instancePath: instancePath + "/sysctl", schemaPath: "#/properties/sysctl/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema36.properties.sysctl.type, parentSchema: schema36.properties.sysctl, data: data24 };
        if (vErrors === null) {
          vErrors = [err44];
        } else {
          vErrors.push(err44);
        }
        errors++;
      }
    }
    if (data.limits !== void 0) {
      if (!validate74(data.limits, { instancePath: instancePath + "/limits", parentData: data, parentDataProperty: "limits", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate74.errors : vErrors.concat(validate74.errors);
        errors = vErrors.length;
      }
    }
    if (data.listener !== void 0) {
      if (!validate77(data.listener, { instancePath: instancePath + "/listener", parentData: data, parentDataProperty: "listener", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate77.errors : vErrors.concat(validate77.errors);
        errors = vErrors.length;
      }
    }
    if (data.listeners !== void 0) {
      let data27 = data.listeners;
      if (data27 && typeof data27 == "object" && !Array.isArray(data27)) {
        for (const key2 in data27) {
          if (!(key2 === "protocol")) {
            const err45 = { instancePath: instancePath + "/listeners", schemaPath: "#/$defs/listenersSelector/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key2 }, message: "must NOT have additional properties", schema: false, parentSchema: schema62, data: data27 };
            if (vErrors === null) {
              vErrors = [err45];
            } else {
              vErrors.push(err45);
            }
            errors++;
          }
        }
        if (data27.protocol !== void 0) {
          let data28 = data27.protocol;
          if (!(data28 === "tcp" || data28 === "udp")) {
            const err46 = { instancePath: instancePath + "/listeners/protocol", schemaPath: "#/$defs/listenersSelector/properties/protocol/enum", keyword: "enum", params: { allowedValues: schema62.properties.protocol.enum }, message: "must be equal to one of the allowed values", schema: schema62.properties.protocol.enum, parentSchema: schema62.properties.protocol, data: data28 };
            if (vErrors === null) {
              vErrors = [err46];
            } else {
              vErrors.push(err46);
            }
            errors++;
          }
        }
      } else {
        const err47 = { instancePath: instancePath + "/listeners", schemaPath: "#/$defs/listenersSelector/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema62.type, parentSchema: schema62, data: data27 };
        if (vErrors === null) {
          vErrors = [err47];
        } else {
          vErrors.push(err47);
        }
        errors++;
      }
    }
    if (data.tcpStates !== void 0) {
      let data29 = data.tcpStates;
      if (data29 && typeof data29 == "object" && !Array.isArray(data29)) {
        for (const key3 in data29) {
          const err48 = { instancePath: instancePath + "/tcpStates", schemaPath: "#/$defs/tcpStatesSelector/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key3 }, message: "must NOT have additional properties", schema: false, parentSchema: schema63, data: data29 };
          if (vErrors === null) {
            vErrors = [err48];
          } else {
            vErrors.push(err48);
          }
          errors++;
        }
      } else {
        const err49 = { instancePath: instancePath + "/tcpStates", schemaPath: "#/$defs/tcpStatesSelector/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema63.type, parentSchema: schema63, data: data29 };
        if (vErrors === null) {
          vErrors = [err49];
        } else {
          vErrors.push(err49);
        }
        errors++;
      }
    }
    if (data.netstat !== void 0) {
      let data30 = data.netstat;
      if (typeof data30 === "string") {
        if (!pattern16.test(data30)) {
          const err50 = { instancePath: instancePath + "/netstat", schemaPath: "#/$defs/netstatCounter/pattern", keyword: "pattern", params: { pattern: "^(ListenOverflows|ListenDrops|RetransRatio|ListenOverflowRatio|[A-Za-z][A-Za-z0-9]*\\.[A-Za-z][A-Za-z0-9]*)$" }, message: 'must match pattern "^(ListenOverflows|ListenDrops|RetransRatio|ListenOverflowRatio|[A-Za-z][A-Za-z0-9]*\\.[A-Za-z][A-Za-z0-9]*)$"', schema: "^(ListenOverflows|ListenDrops|RetransRatio|ListenOverflowRatio|[A-Za-z][A-Za-z0-9]*\\.[A-Za-z][A-Za-z0-9]*)$", parentSchema: schema64, data: data30 };
          if (vErrors === null) {
            vErrors = [err50];
          } else {
            vErrors.push(err50);
          }
          errors++;
        }
      } else {
        const err51 = { instancePath: instancePath + "/netstat", schemaPath: "#/$defs/netstatCounter/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema64.type, parentSchema: schema64, data: data30 };
        if (vErrors === null) {
          vErrors = [err51];
        } else {
          vErrors.push(err51);
        }
        errors++;
      }
    }
    if (data.interface !== void 0) {
      let data31 = data.interface;
      if (typeof data31 === "string") {
        if (func1(data31) < 1) {
          const err52 = { instancePath: instancePath + "/interface", schemaPath: "#/properties/interface/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema36.properties.interface, data: data31 };
          if (vErrors === null) {
            vErrors = [err52];
          } else {
            vErrors.push(err52);
          }
          errors++;
        }
      } else {
        const err53 = { instancePath: instancePath + "/interface", schemaPath: "#/properties/interface/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema36.properties.interface.type, parentSchema: schema36.properties.interface, data: data31 };
        if (vErrors === null) {
          vErrors = [err53];
        } else {
          vErrors.push(err53);
        }
        errors++;
      }
    }
    if (data.route !== void 0) {
      if (!validate80(data.route, { instancePath: instancePath + "/route", parentData: data, parentDataProperty: "route", rootData, dynamicAnchors })) {
        vErrors = vErrors === null ? validate80.errors : vErrors.concat(validate80.errors);
        errors = vErrors.length;
      }
    }
    if (data.firewall !== void 0) {
      let data33 = data.firewall;
      if (data33 && typeof data33 == "object" && !Array.isArray(data33)) {
        if (data33.chain === void 0) {
          const err54 = { instancePath: instancePath + "/firewall", schemaPath: "#/$defs/firewallSelector/required", keyword: "required", params: { missingProperty: "chain" }, message: "must have required property 'chain'", schema: schema67.required, parentSchema: schema67, data: data33 };
          if (vErrors === null) {
            vErrors = [err54];
          } else {
            vErrors.push(err54);
          }
          errors++;
        }
        for (const key4 in data33) {
          if (!(key4 === "chain" || key4 === "family")) {
            const err55 = { instancePath: instancePath + "/firewall", schemaPath: "#/$defs/firewallSelector/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key4 }, message: "must NOT have additional properties", schema: false, parentSchema: schema67, data: data33 };
            if (vErrors === null) {
              vErrors = [err55];
            } else {
              vErrors.push(err55);
            }
            errors++;
          }
        }
        if (data33.chain !== void 0) {
          let data34 = data33.chain;
          if (!(data34 === "input" || data34 === "forward" || data34 === "output")) {
            const err56 = { instancePath: instancePath + "/firewall/chain", schemaPath: "#/$defs/firewallSelector/properties/chain/enum", keyword: "enum", params: { allowedValues: schema67.properties.chain.enum }, message: "must be equal to one of the allowed values", schema: schema67.properties.chain.enum, parentSchema: schema67.properties.chain, data: data34 };
            if (vErrors === null) {
              vErrors = [err56];
            } else {
              vErrors.push(err56);
            }
            errors++;
          }
        }
        if (data33.family !== void 0) {
          let data35 = data33.family;
          if (!(data35 === "ip" || data35 === "ip6" || data35 === "inet")) {
            const err57 = { instancePath: instancePath + "/firewall/family", schemaPath: "#/$defs/firewallSelector/properties/family/enum", keyword: "enum", params: { allowedValues: schema67.properties.family.enum }, message: "must be equal to one of the allowed values", schema: schema67.properties.family.enum, parentSchema: schema67.properties.family, data: data35 };
            if (vErrors === null) {
              vErrors = [err57];
            } else {
              vErrors.push(err57);
            }
            errors++;
          }
        }
      } else {
        const err58 = { instancePath: instancePath + "/firewall", schemaPath: "#/$defs/firewallSelector/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema67.type, parentSchema: schema67, data: data33 };
        if (vErrors === null) {
          vErrors = [err58];
        } else {
          vErrors.push(err58);
        }
        errors++;
      }
    }
  } else {
    const err59 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema36.type, parentSchema: schema36, data };
    if (vErrors === null) {
      vErrors = [err59];
    } else {
      vErrors.push(err59);
    }
    errors++;
  }
  validate25.errors = vErrors;
  return errors === 0;
}
validate25.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
function validate20(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
  ;
  let vErrors = null;
  let errors = 0;
  const evaluated0 = validate20.evaluated;
  if (evaluated0.dynamicProps) {
    evaluated0.props = void 0;
  }
  if (evaluated0.dynamicItems) {
    evaluated0.items = void 0;
  }
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.apiVersion === void 0) {
      const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "apiVersion" }, message: "must have required property 'apiVersion'", schema: schema31.required, parentSchema: schema31, data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    if (data.kind === void 0) {
      const err1 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "kind" }, message: "must have required property 'kind'", schema: schema31.required, parentSchema: schema31, data };
      if (vErrors === null) {
        vErrors = [err1];
      } else {
        vErrors.push(err1);
      }
      errors++;
    }
    if (data.metadata === void 0) {
      const err2 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "metadata" }, message: "must have required property 'metadata'", schema: schema31.required, parentSchema: schema31, data };
      if (vErrors === null) {
        vErrors = [err2];
      } else {
        vErrors.push(err2);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!(key0 === "apiVersion" || key0 === "kind" || key0 === "metadata" || key0 === "extends" || key0 === "vars" || key0 === "defaults" || key0 === "waivers" || key0 === "checks")) {
        const err3 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema31, data };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
    }
    if (data.apiVersion !== void 0) {
      let data0 = data.apiVersion;
      if ("plumbline/v1" !== data0) {
        const err4 = { instancePath: instancePath + "/apiVersion", schemaPath: "#/properties/apiVersion/const", keyword: "const", params: { allowedValue: "plumbline/v1" }, message: "must be equal to constant", schema: "plumbline/v1", parentSchema: schema31.properties.apiVersion, data: data0 };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.kind !== void 0) {
      let data1 = data.kind;
      if ("Policy" !== data1) {
        const err5 = { instancePath: instancePath + "/kind", schemaPath: "#/properties/kind/const", keyword: "const", params: { allowedValue: "Policy" }, message: "must be equal to constant", schema: "Policy", parentSchema: schema31.properties.kind, data: data1 };
        if (vErrors === null) {
          vErrors = [err5];
        } else {
          vErrors.push(err5);
        }
        errors++;
      }
    }
    if (data.metadata !== void 0) {
      let data2 = data.metadata;
      if (data2 && typeof data2 == "object" && !Array.isArray(data2)) {
        if (data2.name === void 0) {
          const err6 = { instancePath: instancePath + "/metadata", schemaPath: "#/properties/metadata/required", keyword: "required", params: { missingProperty: "name" }, message: "must have required property 'name'", schema: schema31.properties.metadata.required, parentSchema: schema31.properties.metadata, data: data2 };
          if (vErrors === null) {
            vErrors = [err6];
          } else {
            vErrors.push(err6);
          }
          errors++;
        }
        for (const key1 in data2) {
          if (!(key1 === "name" || key1 === "description" || key1 === "labels")) {
            const err7 = { instancePath: instancePath + "/metadata", schemaPath: "#/properties/metadata/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key1 }, message: "must NOT have additional properties", schema: false, parentSchema: schema31.properties.metadata, data: data2 };
            if (vErrors === null) {
              vErrors = [err7];
            } else {
              vErrors.push(err7);
            }
            errors++;
          }
        }
        if (data2.name !== void 0) {
          let data3 = data2.name;
          if (typeof data3 === "string") {
            if (func1(data3) < 1) {
              const err8 = { instancePath: instancePath + "/metadata/name", schemaPath: "#/properties/metadata/properties/name/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema31.properties.metadata.properties.name, data: data3 };
              if (vErrors === null) {
                vErrors = [err8];
              } else {
                vErrors.push(err8);
              }
              errors++;
            }
          } else {
            const err9 = { instancePath: instancePath + "/metadata/name", schemaPath: "#/properties/metadata/properties/name/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema31.properties.metadata.properties.name.type, parentSchema: schema31.properties.metadata.properties.name, data: data3 };
            if (vErrors === null) {
              vErrors = [err9];
            } else {
              vErrors.push(err9);
            }
            errors++;
          }
        }
        if (data2.description !== void 0) {
          let data4 = data2.description;
          if (typeof data4 !== "string") {
            const err10 = { instancePath: instancePath + "/metadata/description", schemaPath: "#/properties/metadata/properties/description/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema31.properties.metadata.properties.description.type, parentSchema: schema31.properties.metadata.properties.description, data: data4 };
            if (vErrors === null) {
              vErrors = [err10];
            } else {
              vErrors.push(err10);
            }
            errors++;
          }
        }
        if (data2.labels !== void 0) {
          let data5 = data2.labels;
          if (data5 && typeof data5 == "object" && !Array.isArray(data5)) {
            for (const key2 in data5) {
              let data6 = data5[key2];
              if (typeof data6 !== "string") {
                const err11 = { instancePath: instancePath + "/metadata/labels/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/properties/metadata/properties/labels/additionalProperties/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema31.properties.metadata.properties.labels.additionalProperties.type, parentSchema: schema31.properties.metadata.properties.labels.additionalProperties, data: data6 };
                if (vErrors === null) {
                  vErrors = [err11];
                } else {
                  vErrors.push(err11);
                }
                errors++;
              }
            }
          } else {
            const err12 = { instancePath: instancePath + "/metadata/labels", schemaPath: "#/properties/metadata/properties/labels/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema31.properties.metadata.properties.labels.type, parentSchema: schema31.properties.metadata.properties.labels, data: data5 };
            if (vErrors === null) {
              vErrors = [err12];
            } else {
              vErrors.push(err12);
            }
            errors++;
          }
        }
      } else {
        const err13 = { instancePath: instancePath + "/metadata", schemaPath: "#/properties/metadata/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema31.properties.metadata.type, parentSchema: schema31.properties.metadata, data: data2 };
        if (vErrors === null) {
          vErrors = [err13];
        } else {
          vErrors.push(err13);
        }
        errors++;
      }
    }
    if (data.extends !== void 0) {
      let data7 = data.extends;
      if (Array.isArray(data7)) {
        const len0 = data7.length;
        for (let i0 = 0; i0 < len0; i0++) {
          let data8 = data7[i0];
          if (typeof data8 === "string") {
            if (!pattern4.test(data8)) {
              const err14 = { instancePath: instancePath + "/extends/" + i0, schemaPath: "#/properties/extends/items/pattern", keyword: "pattern", params: { pattern: "^(builtin:[a-z0-9][a-z0-9._-]*|[^/].*)$" }, message: 'must match pattern "^(builtin:[a-z0-9][a-z0-9._-]*|[^/].*)$"', schema: "^(builtin:[a-z0-9][a-z0-9._-]*|[^/].*)$", parentSchema: schema31.properties.extends.items, data: data8 };
              if (vErrors === null) {
                vErrors = [err14];
              } else {
                vErrors.push(err14);
              }
              errors++;
            }
          } else {
            const err15 = { instancePath: instancePath + "/extends/" + i0, schemaPath: "#/properties/extends/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema31.properties.extends.items.type, parentSchema: schema31.properties.extends.items, data: data8 };
            if (vErrors === null) {
              vErrors = [err15];
            } else {
              vErrors.push(err15);
            }
            errors++;
          }
        }
      } else {
        const err16 = { instancePath: instancePath + "/extends", schemaPath: "#/properties/extends/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema31.properties.extends.type, parentSchema: schema31.properties.extends, data: data7 };
        if (vErrors === null) {
          vErrors = [err16];
        } else {
          vErrors.push(err16);
        }
        errors++;
      }
    }
    if (data.vars !== void 0) {
      let data9 = data.vars;
      if (data9 && typeof data9 == "object" && !Array.isArray(data9)) {
        for (const key3 in data9) {
          const _errs23 = errors;
          if (typeof key3 === "string") {
            if (!pattern5.test(key3)) {
              const err17 = { instancePath: instancePath + "/vars", schemaPath: "#/properties/vars/propertyNames/pattern", keyword: "pattern", params: { pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }, message: 'must match pattern "^[A-Za-z_][A-Za-z0-9_]*$"', schema: "^[A-Za-z_][A-Za-z0-9_]*$", parentSchema: schema31.properties.vars.propertyNames, data: key3, propertyName: key3 };
              if (vErrors === null) {
                vErrors = [err17];
              } else {
                vErrors.push(err17);
              }
              errors++;
            }
          }
          var valid5 = _errs23 === errors;
          if (!valid5) {
            const err18 = { instancePath: instancePath + "/vars", schemaPath: "#/properties/vars/propertyNames", keyword: "propertyNames", params: { propertyName: key3 }, message: "property name must be valid", schema: schema31.properties.vars.propertyNames, parentSchema: schema31.properties.vars, data: data9 };
            if (vErrors === null) {
              vErrors = [err18];
            } else {
              vErrors.push(err18);
            }
            errors++;
          }
        }
        for (const key4 in data9) {
          let data10 = data9[key4];
          if (typeof data10 !== "string" && !(typeof data10 == "number" && isFinite(data10)) && typeof data10 !== "boolean") {
            const err19 = { instancePath: instancePath + "/vars/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/properties/vars/additionalProperties/type", keyword: "type", params: { type: schema31.properties.vars.additionalProperties.type }, message: "must be string,number,boolean", schema: schema31.properties.vars.additionalProperties.type, parentSchema: schema31.properties.vars.additionalProperties, data: data10 };
            if (vErrors === null) {
              vErrors = [err19];
            } else {
              vErrors.push(err19);
            }
            errors++;
          }
        }
      } else {
        const err20 = { instancePath: instancePath + "/vars", schemaPath: "#/properties/vars/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema31.properties.vars.type, parentSchema: schema31.properties.vars, data: data9 };
        if (vErrors === null) {
          vErrors = [err20];
        } else {
          vErrors.push(err20);
        }
        errors++;
      }
    }
    if (data.defaults !== void 0) {
      let data11 = data.defaults;
      if (data11 && typeof data11 == "object" && !Array.isArray(data11)) {
        for (const key5 in data11) {
          if (!(key5 === "timeout" || key5 === "failUnder")) {
            const err21 = { instancePath: instancePath + "/defaults", schemaPath: "#/properties/defaults/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key5 }, message: "must NOT have additional properties", schema: false, parentSchema: schema31.properties.defaults, data: data11 };
            if (vErrors === null) {
              vErrors = [err21];
            } else {
              vErrors.push(err21);
            }
            errors++;
          }
        }
        if (data11.timeout !== void 0) {
          if (!validate21(data11.timeout, { instancePath: instancePath + "/defaults/timeout", parentData: data11, parentDataProperty: "timeout", rootData, dynamicAnchors })) {
            vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
            errors = vErrors.length;
          }
        }
        if (data11.failUnder !== void 0) {
          let data13 = data11.failUnder;
          if (typeof data13 == "number" && isFinite(data13)) {
            if (data13 > 100 || isNaN(data13)) {
              const err22 = { instancePath: instancePath + "/defaults/failUnder", schemaPath: "#/properties/defaults/properties/failUnder/maximum", keyword: "maximum", params: { comparison: "<=", limit: 100 }, message: "must be <= 100", schema: 100, parentSchema: schema31.properties.defaults.properties.failUnder, data: data13 };
              if (vErrors === null) {
                vErrors = [err22];
              } else {
                vErrors.push(err22);
              }
              errors++;
            }
            if (data13 < 0 || isNaN(data13)) {
              const err23 = { instancePath: instancePath + "/defaults/failUnder", schemaPath: "#/properties/defaults/properties/failUnder/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema31.properties.defaults.properties.failUnder, data: data13 };
              if (vErrors === null) {
                vErrors = [err23];
              } else {
                vErrors.push(err23);
              }
              errors++;
            }
          } else {
            const err24 = { instancePath: instancePath + "/defaults/failUnder", schemaPath: "#/properties/defaults/properties/failUnder/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema31.properties.defaults.properties.failUnder.type, parentSchema: schema31.properties.defaults.properties.failUnder, data: data13 };
            if (vErrors === null) {
              vErrors = [err24];
            } else {
              vErrors.push(err24);
            }
            errors++;
          }
        }
      } else {
        const err25 = { instancePath: instancePath + "/defaults", schemaPath: "#/properties/defaults/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema31.properties.defaults.type, parentSchema: schema31.properties.defaults, data: data11 };
        if (vErrors === null) {
          vErrors = [err25];
        } else {
          vErrors.push(err25);
        }
        errors++;
      }
    }
    if (data.waivers !== void 0) {
      let data14 = data.waivers;
      if (Array.isArray(data14)) {
        const len1 = data14.length;
        for (let i1 = 0; i1 < len1; i1++) {
          if (!validate23(data14[i1], { instancePath: instancePath + "/waivers/" + i1, parentData: data14, parentDataProperty: i1, rootData, dynamicAnchors })) {
            vErrors = vErrors === null ? validate23.errors : vErrors.concat(validate23.errors);
            errors = vErrors.length;
          }
        }
      } else {
        const err26 = { instancePath: instancePath + "/waivers", schemaPath: "#/properties/waivers/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema31.properties.waivers.type, parentSchema: schema31.properties.waivers, data: data14 };
        if (vErrors === null) {
          vErrors = [err26];
        } else {
          vErrors.push(err26);
        }
        errors++;
      }
    }
    if (data.checks !== void 0) {
      let data16 = data.checks;
      if (Array.isArray(data16)) {
        const len2 = data16.length;
        for (let i2 = 0; i2 < len2; i2++) {
          if (!validate25(data16[i2], { instancePath: instancePath + "/checks/" + i2, parentData: data16, parentDataProperty: i2, rootData, dynamicAnchors })) {
            vErrors = vErrors === null ? validate25.errors : vErrors.concat(validate25.errors);
            errors = vErrors.length;
          }
        }
      } else {
        const err27 = { instancePath: instancePath + "/checks", schemaPath: "#/properties/checks/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema31.properties.checks.type, parentSchema: schema31.properties.checks, data: data16 };
        if (vErrors === null) {
          vErrors = [err27];
        } else {
          vErrors.push(err27);
        }
        errors++;
      }
    }
  } else {
    const err28 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema31.type, parentSchema: schema31, data };
    if (vErrors === null) {
      vErrors = [err28];
    } else {
      vErrors.push(err28);
    }
    errors++;
  }
  validate20.errors = vErrors;
  return errors === 0;
}
validate20.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };

// src/policy/model.ts
var SELECTORS = [
  "sysctl",
  "limits",
  "listener",
  "listeners",
  "tcpStates",
  "netstat",
  "interface",
  "route",
  "firewall"
];

// src/policy/validate.ts
function validatePolicy(loaded) {
  return validateLoaded(loaded).issues;
}
function validateLoaded(loaded) {
  if (loaded.issues.length > 0 || loaded.value === void 0) return { issues: [...loaded.issues], badChecks: /* @__PURE__ */ new Set() };
  const value = loaded.value;
  if (value === null) {
    return { issues: [issueAt(loaded, [], "policy file is empty; it needs apiVersion, kind and metadata")], badChecks: /* @__PURE__ */ new Set() };
  }
  const semantic = semanticIssues(value, (s) => !hasVarRef(s));
  const skipExpect = checksWithManySelectors(value);
  const suppressNoSelector = /* @__PURE__ */ new Set();
  const schemaRaw = schemaIssues(value, value, (e) => {
    if (typeof e.data === "string" && hasVarRef(e.data)) return false;
    const p = pointerToPath(e.instancePath);
    if (p[0] === "checks" && typeof p[1] === "number" && p[2] === "expect" && skipExpect.has(p[1])) return false;
    return true;
  });
  for (const r of schemaRaw) {
    if (r.path.length === 2 && r.path[0] === "checks" && r.suggestion && isSelector(r.suggestion)) {
      suppressNoSelector.add(r.path[1]);
    }
  }
  const noSelector = semantic.filter((r) => r.noSelector !== void 0 && !suppressNoSelector.has(r.noSelector));
  const noSelectorAt = new Set(noSelector.map((r) => r.noSelector));
  const all = [
    // "add a selector" already implies an expect; asking for expect alone would send the reader the wrong way.
    ...schemaRaw.filter((r) => !(r.missingExpect !== void 0 && noSelectorAt.has(r.missingExpect))),
    ...semantic.filter((r) => r.noSelector === void 0),
    ...noSelector
  ];
  return toResult(loaded, all);
}
function toResult(loaded, raw) {
  const badChecks = /* @__PURE__ */ new Set();
  const seen = /* @__PURE__ */ new Set();
  const issues = [];
  for (const r of raw) {
    if (r.path[0] === "checks" && typeof r.path[1] === "number") badChecks.add(r.path[1]);
    const message = r.firstAt ? `${r.message}; first declared on line ${posAt(loaded, r.firstAt).line}` : r.message;
    const issue = issueAt(loaded, r.path, message, r.key !== void 0 ? { key: r.key } : {});
    const k = `${issue.line}:${issue.column}:${issue.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    issues.push(issue);
  }
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  return { issues, badChecks };
}
function hasVarRef(s) {
  return s.includes("${");
}
function isSelector(k) {
  return SELECTORS.includes(k);
}
var COMBINATORS = /* @__PURE__ */ new Set(["anyOf", "oneOf", "allOf", "if", "then", "else", "not", "propertyNames"]);
function parentOf(e) {
  return e.parentSchema ?? {};
}
function isMatcherSchema(e) {
  const props = parentOf(e).properties;
  return props !== void 0 && "gte" in props && "eq" in props;
}
function schemaIssues(root, value, keep) {
  if (policy_validator_default(value)) return [];
  const errors = (policy_validator_default.errors ?? []).filter(
    (e) => !COMBINATORS.has(e.keyword) && parentOf(e).title !== "variable reference" && keep(e)
  );
  const out = [];
  const byLocation = /* @__PURE__ */ new Map();
  for (const e of errors) {
    const path = pointerToPath(e.instancePath);
    if (e.keyword === "additionalProperties") {
      out.push(unknownKey(root, path, e));
    } else if (e.keyword === "required") {
      out.push(missingKey(root, path, e));
    } else if (e.propertyName !== void 0) {
      out.push({ path, key: e.propertyName, message: `variable name "${e.propertyName}" ${mustBe(e)}` });
    } else {
      const list = byLocation.get(e.instancePath) ?? [];
      list.push(e);
      byLocation.set(e.instancePath, list);
    }
  }
  const pointers = [...byLocation.keys()];
  for (const [pointer, list] of byLocation) {
    const hasDeeper = pointers.some((p) => p.startsWith(`${pointer}/`));
    const message = valueMessage(pointerToPath(pointer), list, hasDeeper);
    if (message !== void 0) out.push({ path: pointerToPath(pointer), message });
  }
  return out;
}
function pointerToPath(pointer) {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")).map((s) => /^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s);
}
function label(path) {
  let rel = path;
  if (path[0] === "checks" && typeof path[1] === "number") {
    rel = path.slice(2);
    if (rel.length === 0) return "check";
  } else if (path[0] === "waivers" && typeof path[1] === "number") {
    rel = path.slice(2);
    if (rel.length === 0) return "waiver";
  }
  if (rel.length === 0) return "policy";
  let s = "";
  for (const seg of rel) s += typeof seg === "number" ? `[${seg}]` : s === "" ? seg : `.${seg}`;
  return s;
}
function contextName(root, path) {
  if (path.length === 0) return "policy";
  if (path.length === 3 && path[0] === "checks" && path[2] === "expect") {
    const check = getPath(root, path.slice(0, 2));
    const selectors = isObject(check) ? Object.keys(check).filter(isSelector) : [];
    if (selectors.length === 1) return `${selectors[0]} expect`;
  }
  return label(path);
}
var OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "between", "in", "notIn", "match", "contains", "exists", "index"];
function unknownKey(root, path, e) {
  const key = String(e.params.additionalProperty);
  const allowed = Object.keys(e.parentSchema?.properties ?? {});
  const suggestion = didYouMean(key, allowed);
  const hint = suggestion ? `; did you mean "${suggestion}"?` : "";
  if (isMatcherSchema(e)) {
    return { path, key, ...suggestion ? { suggestion } : {}, message: `unknown operator "${key}"${hint} Operators: ${OPERATORS.join(", ")}` };
  }
  const where = contextName(root, path);
  let message = `unknown key "${key}" in ${where}${hint}`;
  if (!suggestion) message += allowed.length ? `; expected one of ${allowed.join(", ")}` : `; ${where} takes no keys ({})`;
  return { path, key, ...suggestion ? { suggestion } : {}, message };
}
function missingKey(root, path, e) {
  const key = String(e.params.missingProperty);
  const where = contextName(root, path);
  let message = `missing required key "${key}" in ${where}`;
  const c = parentOf(e).properties?.[key]?.const;
  if (typeof c === "string") message += `; add ${key}: ${c}`;
  if (where === "check" && key === "expect" && path[0] === "checks" && typeof path[1] === "number" && path.length === 2) {
    return { path, message, missingExpect: path[1] };
  }
  return { path, message };
}
function mustBe(e) {
  const m = parentOf(e).patternErrorMessage;
  if (m) return `must be ${m.replace(/^Expected /, "")}`;
  return `must match ${e.params.pattern ?? "its pattern"}`;
}
var NETSTAT_SHORT = ["ListenOverflows", "ListenDrops", "RetransRatio", "ListenOverflowRatio"];
function valueMessage(path, errors, hasDeeper) {
  const name = label(path);
  const typeErrors = errors.filter((e2) => e2.keyword === "type");
  const data = errors[0]?.data;
  const structured = typeof data === "object" && data !== null;
  const specific = errors.filter((x) => x.keyword !== "type" && !(structured && (x.keyword === "enum" || x.keyword === "const")));
  const scalarChoice = errors.filter((x) => x.keyword === "enum" || x.keyword === "const");
  if (specific.length === 0 && scalarChoice.length > 0 && hasDeeper) return void 0;
  const e = specific[0] ?? scalarChoice[0];
  if (!e) {
    if (hasDeeper) return void 0;
    if (typeErrors.some(isMatcherSchema)) {
      return `${name} must be a value (meaning eq) or a map of operators, got ${describe(data)}`;
    }
    const types = [...new Set(typeErrors.flatMap((t) => typeList(t.params.type)))];
    return `${name} must be ${joinOr(types.map(typeWord))}, got ${describe(data)}`;
  }
  const between = path[path.length - 1] === "between";
  switch (e.keyword) {
    case "enum": {
      const allowed = (e.params.allowedValues ?? []).map(String);
      const s = typeof data === "string" ? didYouMean(data, allowed) : void 0;
      return `${name} must be one of ${allowed.join(", ")}; got ${shortJson(data)}${s ? `; did you mean "${s}"?` : ""}`;
    }
    case "const":
      return `${name} must be ${JSON.stringify(e.params.allowedValue)}, got ${shortJson(data)}`;
    case "pattern": {
      const netstat = path[path.length - 1] === "netstat" && typeof data === "string";
      const s = netstat ? didYouMean(data, NETSTAT_SHORT) : void 0;
      return `${name} ${mustBe(e)}; got ${shortJson(data)}${s ? `; did you mean "${s}"?` : ""}`;
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      if (parentOf(e).maximum === 65535) return `${name} must be a port number 1-65535, got ${shortJson(data)}`;
      const p = e.params;
      return `${name} must be ${p.comparison} ${p.limit}, got ${shortJson(data)}`;
    }
    case "minLength":
      return `${name} must not be empty`;
    case "minItems":
    case "maxItems":
    case "items": {
      if (between) return `${name} must be a list [lo, hi]; got ${describe(data)}`;
      const limit = e.params.limit;
      if (e.keyword === "minItems") return `${name} must have at least ${limit} item${limit === 1 ? "" : "s"}`;
      return `${name} must have at most ${limit} item${limit === 1 ? "" : "s"}`;
    }
    case "minProperties": {
      if (isMatcherSchema(e)) return `${name} must not be empty; give a value or at least one operator`;
      const keys = Object.keys(e.parentSchema?.properties ?? {});
      return `${name} must not be empty; give at least one of ${keys.join(", ")}`;
    }
    default:
      return `${name} ${e.message ?? "is invalid"}`;
  }
}
function typeList(t) {
  return Array.isArray(t) ? t : [t];
}
function typeWord(t) {
  switch (t) {
    case "integer":
      return "an integer";
    case "object":
      return "a map";
    case "array":
      return "a list";
    case "null":
      return "null";
    default:
      return `a ${t}`;
  }
}
function joinOr(words) {
  if (words.length <= 1) return words[0] ?? "something else";
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}
function describe(v) {
  if (v === null || v === void 0) return "null";
  if (Array.isArray(v)) return `list ${shortJson(v)}`;
  if (typeof v === "object") return `map ${shortJson(v)}`;
  return `${typeof v} ${shortJson(v)}`;
}
function shortJson(v) {
  let s;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
function didYouMean(word, candidates) {
  let best;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  if (best === void 0) return void 0;
  const limit = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3));
  return bestD <= limit ? best : void 0;
}
function distance(a, b) {
  if (Math.abs(a.length - b.length) > 3) return Math.abs(a.length - b.length);
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_2, j) => i === 0 ? j : j === 0 ? i : 0));
  for (let i = 1; i <= a.length; i++) {
    const row = d[i];
    const prev = d[i - 1];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      row[j] = v;
    }
  }
  return d[a.length][b.length];
}
function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function checksWithManySelectors(value) {
  const out = /* @__PURE__ */ new Set();
  if (!isObject(value) || !Array.isArray(value.checks)) return out;
  value.checks.forEach((c, i) => {
    if (isObject(c) && SELECTORS.filter((s) => s in c).length > 1) out.add(i);
  });
  return out;
}
var LIMIT_TARGETS = ["process", "pid", "pidfile", "unit", "port", "listening"];
var COUNT_WORDS = ["no", "one", "two", "three", "four"];
function semanticIssues(value, considerString, considerPaths) {
  const out = [];
  if (!isObject(value)) return out;
  const consider = (paths, values) => considerPaths ? considerPaths(paths) : values.every((v) => typeof v !== "string" || considerString(v));
  if (Array.isArray(value.checks)) {
    const firstIdAt = /* @__PURE__ */ new Map();
    value.checks.forEach((c, i) => {
      if (!isObject(c)) return;
      const at = ["checks", i];
      const present = Object.keys(c).filter(isSelector);
      if (present.length === 0 && c.enabled !== false) {
        out.push({ path: at, noSelector: i, message: `check has no fact selector; add one of ${SELECTORS.join(", ")}` });
      } else if (present.length > 1) {
        const names = present.length === 2 ? `${present[0]} and ${present[1]}` : `${present.slice(0, -1).join(", ")} and ${present[present.length - 1]}`;
        out.push({
          path: at,
          key: present[1],
          message: `check has ${COUNT_WORDS[present.length] ?? present.length} selectors (${names}); a check reads exactly one fact`
        });
      }
      if (typeof c.id === "string") {
        const first = firstIdAt.get(c.id);
        if (first === void 0) firstIdAt.set(c.id, i);
        else out.push({ path: [...at, "id"], message: `duplicate check id "${c.id}"`, firstAt: ["checks", first] });
      }
      if (isObject(c.limits)) {
        const limits = c.limits;
        const targets = Object.keys(limits).filter((k) => LIMIT_TARGETS.includes(k));
        if (targets.length === 0) {
          out.push({ path: [...at, "limits"], message: `limits must name the processes with one of ${LIMIT_TARGETS.join(", ")}` });
        } else if (targets.length > 1) {
          out.push({ path: [...at, "limits"], key: targets[1], message: `limits names the processes twice (${targets[0]} and ${targets[1]}); use one` });
        }
      }
      for (const sub of ["expect", "when"]) {
        if (c[sub] !== void 0) matcherRules(c[sub], [...at, sub], out, consider);
      }
    });
  }
  if (Array.isArray(value.waivers)) {
    const firstFor = /* @__PURE__ */ new Map();
    value.waivers.forEach((w, i) => {
      if (!isObject(w)) return;
      if (typeof w.check === "string") {
        const first = firstFor.get(w.check);
        if (first === void 0) firstFor.set(w.check, i);
        else out.push({ path: ["waivers", i, "check"], message: `duplicate waiver for check "${w.check}"`, firstAt: ["waivers", first] });
      }
      if (typeof w.expires === "string" && /^\d{4}-\d{2}-\d{2}$/.test(w.expires) && !isRealDate(w.expires)) {
        out.push({ path: ["waivers", i, "expires"], message: `expires is not a real date: "${w.expires}"` });
      }
    });
  }
  return out;
}
function isRealDate(s) {
  const d = /* @__PURE__ */ new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
function asNumber(v) {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return void 0;
}
function matcherRules(v, path, out, consider) {
  if (Array.isArray(v)) return;
  if (!isObject(v)) return;
  const keys = Object.keys(v);
  if (typeof v.match === "string" && consider([[...path, "match"]], [v.match])) {
    try {
      new RegExp(v.match);
    } catch (e) {
      const why = e.message.replace(/^Invalid regular expression: /, "");
      out.push({ path: [...path, "match"], message: `match is not a valid regular expression: ${why}` });
    }
  }
  if (Array.isArray(v.between) && v.between.length === 2) {
    const [lo, hi] = v.between;
    const nlo = asNumber(lo);
    const nhi = asNumber(hi);
    const paths = [[...path, "between", 0], [...path, "between", 1]];
    if (nlo !== void 0 && nhi !== void 0 && nlo > nhi && consider(paths, [lo, hi])) {
      out.push({ path: [...path, "between"], message: `between [${nlo}, ${nhi}]: the lower bound is greater than the upper bound` });
    }
  }
  if (keys.length === 1 && keys[0] === "index") {
    out.push({ path, message: "index picks an element but there is no operator to apply to it; add one, e.g. gte" });
  }
  for (const k of keys) {
    if (!OPERATORS.includes(k)) matcherRules(v[k], [...path, k], out, consider);
  }
}
function getPath(v, path) {
  let cur = v;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === "number") cur = cur[seg];
    else if (isObject(cur)) cur = cur[String(seg)];
    else return void 0;
  }
  return cur;
}

// .try.ts
var f = process.argv[2];
var l = loadPolicyText(readFileSync(f, "utf8"), f);
for (const i of validatePolicy(l)) console.log(`${i.file}:${i.line}:${i.column}: ${i.message}`);
