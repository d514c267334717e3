// Golden files: a renderer's output compared byte for byte with a committed file. A golden file that does not
// exist fails the test; goldens are written only by `npm run test:update-golden` (UPDATE_GOLDEN=1), never in CI.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { expect } from 'vitest';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
// Rewriting goldens asserts nothing: never in CI, where a leaked UPDATE_GOLDEN would make these tests pass blindly.
if (UPDATE && process.env.CI === 'true') throw new Error('UPDATE_GOLDEN=1 under CI=true: goldens are rewritten only by hand (npm run test:update-golden)');

/** Compare `actual` with the golden file at `path` (absolute), which must exist. */
export function golden(path: string, actual: string): void {
  if (UPDATE) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  const name = path.replace(/^.*\/test\//, 'test/');
  expect(existsSync(path), `golden file ${name} is missing; write it with "npm run test:update-golden" and review it`).toBe(true);
  // toBe on the whole text gives a line diff; the message names the file to regenerate.
  expect(actual, `${name} differs from the golden file (npm run test:update-golden rewrites it after an intended change)`).toBe(readFileSync(path, 'utf8'));
}

/** A renderer is a pure function: it leaves the report as it was, and the same report renders the same text. */
export function expectPureRender<R>(render: (report: R) => string, report: R): void {
  const before = structuredClone(report);
  const once = render(report);
  expect(report).toEqual(before);
  expect(render(structuredClone(before))).toBe(once);
}

/** A digest of a large output for its golden file: its hash, size and line count; the other tests read it whole. */
export function digestOf(text: string): string {
  return `sha256 ${createHash('sha256').update(text).digest('hex')}\nbytes ${Buffer.byteLength(text)}\nlines ${text.split('\n').length}\n`;
}

/**
 * An HTML report split for its goldens: the page with the fixed stylesheet and script cut out (each left as an
 * empty element, so where they stand is still compared), and the two fixed parts, which every report carries
 * alike and which are checked against the renderer's own instead of held in every golden.
 */
export function htmlParts(html: string): { page: string; style: string; script: string } {
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
  expect(style, 'the page has its <style>').toBeDefined();
  expect(script, 'the page has its <script>').toBeDefined();
  return {
    page: html.replace(`<style>${style!}</style>`, '<style></style>').replace(`<script>${script!}</script>`, '<script></script>'),
    style: style!,
    script: script!,
  };
}
