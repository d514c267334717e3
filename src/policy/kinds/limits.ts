// The `limits` check kind, policy side: the resource limits of processes. Its selector and expectation as
// written (the schema editors and the validator read, from `schema`), its area, and its selector as plan and
// evaluate read it.
import type { Static } from 'typebox';
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';
import type { LIMIT_TARGETS } from './shared/limit-targets.js';

function schema({ T, ref, raw, def }: Kit) {
  const limitsSelector = def(
    'limitsSelector',
    T.Object(
      {
        process: T.Optional(T.String({ minLength: 1, description: 'Processes with this command name (comm).' })),
        pid: T.Optional(T.Union([T.Integer({ minimum: 1 }), ref<never>('varRef')], { description: 'The process with this pid.' })),
        pidfile: T.Optional(T.String({ minLength: 1, description: 'The process whose pid is in this file.' })),
        unit: T.Optional(T.String({ minLength: 1, description: 'The main process of this systemd unit.' })),
        port: T.Optional(ref<number>('port', { description: 'The processes that own a listening socket on this port.' })),
        listening: T.Optional(raw<true>({ const: true, description: 'Every process that owns a listening socket.' })),
        item: T.Enum(
          ['cpu', 'fsize', 'data', 'stack', 'core', 'rss', 'nproc', 'nofile', 'memlock', 'as', 'locks', 'sigpending', 'msgqueue', 'nice', 'rtprio', 'rttime'],
          {
            description:
              'The limit: cpu, fsize, data, stack, core, rss, nproc, nofile, memlock, as, locks, sigpending, msgqueue, nice, rtprio, rttime (nofile = open files, nproc = processes, core = core file size, ...).',
          },
        ),
      },
      {
        description:
          'Resource limits (ulimits) of processes, from /proc/PID/limits. Name the processes with process, pid, pidfile, unit, port or listening; several of them narrow the selection together.',
        additionalProperties: false,
      },
    ),
  );
  const limitsExpect = def(
    'limitsExpect',
    T.Object(
      {
        soft: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the soft limit.' })),
        hard: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the hard limit.' })),
      },
      { description: 'Matchers for the soft and/or hard limit ("unlimited" compares as infinity).', minProperties: 1, additionalProperties: false },
    ),
  );
  return {
    selector: limitsSelector.ref(),
    expect: limitsExpect.ref(),
  };
}

type Written = { [P in keyof ReturnType<typeof schema>]: Static<ReturnType<typeof schema>[P]> };

export const kind = {
  area: 'limits',
  schema,
  selector: (v: Written['selector']) => {
    const spec: Pick<Written['selector'], 'item'> & Partial<Pick<Written['selector'], (typeof LIMIT_TARGETS)[number]>> = { item: v.item };
    if (v.process !== undefined) spec.process = v.process;
    if (v.pid !== undefined) spec.pid = v.pid;
    if (v.pidfile !== undefined) spec.pidfile = v.pidfile;
    if (v.unit !== undefined) spec.unit = v.unit;
    if (v.port !== undefined) spec.port = v.port;
    if (v.listening !== undefined) spec.listening = v.listening;
    return { kind: 'limits' as const, spec };
  },
};
