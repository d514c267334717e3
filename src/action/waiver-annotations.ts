// The waivers a run should tell its reader about (stale, expired, about to expire) as warnings on the job page, at
// their lines in the waivers file when it is in the checkout.
import * as core from '@actions/core';
import type { WaiverUse } from '../evaluate/waivers.js';
import { attentionUses, waiverUseMessage } from '../report/waivers.js';

/** `inCheckout` gives a file's path in the repository, or undefined for one outside it. */
export function waiverAnnotations(uses: readonly WaiverUse[] | undefined, inCheckout: (file: string) => string | undefined): void {
  for (const u of attentionUses(uses)) {
    const file = inCheckout(u.source.file);
    core.warning(waiverUseMessage(u), {
      title: 'plumbline: waiver',
      ...(file !== undefined ? { file, startLine: u.source.line, startColumn: u.source.column } : {}),
    });
  }
}
