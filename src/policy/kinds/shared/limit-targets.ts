/** The keys of a limits selector that name processes; several narrow the selection together. */
export const LIMIT_TARGETS = ['process', 'pid', 'pidfile', 'unit', 'port', 'listening'] as const;
