// A check and a result made in a test, with only what the test is about given.
import type { Result } from '../../src/evaluate/model.js';
import type { CheckOf, SelectorName } from '../../src/policy/model.js';

const SOURCE = { file: 't.yaml', line: 1, column: 1 };

export function checkOf<K extends SelectorName>(id: string, selector: CheckOf<K>['selector'], expect: CheckOf<K>['expect'], area = 'network'): CheckOf<K> {
  return { id, title: id, severity: 'high', area, selector, expect, tags: [], refs: [], source: SOURCE } as CheckOf<K>;
}

/** A result of the given verdict; its reason `matched` unless the test says otherwise. */
export function resultOf(id: string, status: Result['status'], extra: Partial<Result> = {}): Result {
  return {
    id,
    title: id,
    area: 'network',
    severity: 'high',
    status,
    expected: '',
    actual: '',
    reason: { code: 'matched' },
    tags: [],
    refs: [],
    source: SOURCE,
    ...extra,
  };
}
