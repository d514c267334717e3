// The errno code on an error thrown by node:fs or a transport, and the words a report uses for it.

export function errCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** "not found", "permission denied", or the error's own message. */
export function errText(err: unknown): string {
  switch (errCode(err)) {
    case 'ENOENT':
      return 'not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return (err as Error | null)?.message ?? String(err);
  }
}
