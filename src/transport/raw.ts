// Typed reads of gathered raw material, for the fact families' pure parsers. Asking for something the family did
// not put in its batch is plumbline's own bug, so it throws rather than read as "absent".
import type { GlobAnswer, LinkFilter, RawAnswer, RawFailure, RawMaterial, RawRequest, RunAnswer } from './types.js';
import { isFailure, requestKey } from './types.js';

export class RawView {
  constructor(private readonly material: RawMaterial = {}) {}

  /** Add answers as they arrive. */
  absorb(more: RawMaterial): void {
    Object.assign(this.material, more);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.material, key);
  }

  add(key: string, answer: RawAnswer): void {
    this.material[key] = answer;
  }

  private answer(r: RawRequest): RawAnswer {
    const a = this.material[requestKey(r)];
    if (a === undefined) throw new Error(`internal: ${requestKey(r)} was not gathered`);
    return a;
  }

  /** A file's text, or why it could not be read. */
  read(path: string): string | RawFailure {
    const a = this.answer({ op: 'read', path });
    return isFailure(a) ? a : 'text' in a ? a.text : mismatch(path);
  }

  list(path: string): string[] | RawFailure {
    const a = this.answer({ op: 'list', path });
    return isFailure(a) ? a : 'names' in a ? a.names : mismatch(path);
  }

  link(path: string): string | RawFailure {
    const a = this.answer({ op: 'link', path });
    return isFailure(a) ? a : 'target' in a ? a.target : mismatch(path);
  }

  glob(pattern: string, take: 'read' | 'link', where?: LinkFilter): GlobAnswer | RawFailure {
    const a = this.answer({ op: 'glob', pattern, take, ...(where ? { where } : {}) });
    return isFailure(a) ? a : 'found' in a ? a : mismatch(pattern);
  }

  run(argv: readonly string[]): RunAnswer | RawFailure {
    const a = this.answer({ op: 'run', argv, timeoutMs: 0 });
    return isFailure(a) ? a : 'exitCode' in a ? a : mismatch(argv.join(' '));
  }
}

function mismatch(what: string): never {
  throw new Error(`internal: the answer for ${what} is of another kind`);
}
