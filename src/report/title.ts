// A check's title where it says more than its id: a policy may leave the title out, and the id then stands
// for it (build-check.ts), which a report shows once, not twice side by side.
import type { ReportResult } from './model.js';

export function ownTitle(r: Pick<ReportResult, 'id' | 'title'>): string | undefined {
  return r.title !== '' && r.title !== r.id ? r.title : undefined;
}
