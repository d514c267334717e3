// Reading an inventory's files: a file that cannot be read, or that is no text at all, is an InventoryError
// naming the file, never a stack trace, and its contents are not quoted.
import { readFile } from 'node:fs/promises';
import { errCode, errText } from '../lib/errno.js';
import { InventoryError } from './model.js';

/** The text of `path`, named `file` in messages. */
export async function readText(path: string, file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const why = errCode(e) === 'EISDIR' ? 'it is a directory' : errText(e);
    throw new InventoryError({ file }, `cannot read the file: ${why}`);
  }
  const bad = text.search(/[\0\ufffd]/);
  if (bad >= 0) {
    const line = text.slice(0, bad).split('\n').length;
    const col = bad - text.lastIndexOf('\n', bad - 1);
    throw new InventoryError({ file, line, col }, 'not UTF-8 text (binary data, or another encoding): no inventory');
  }
  return text;
}
