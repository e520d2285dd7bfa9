// Opaque keyset cursors shared by every list: the sort key of the last row (an instant, or null for
// "no deadline") and its ID. A cursor this API did not issue is a 422 on query.cursor.
import { z } from 'zod';
import { Problem } from './problem';

const Cursor = z.object({ v: z.iso.datetime().nullable(), id: z.string().max(200) });
export type Cursor = z.infer<typeof Cursor>;

export function encodeCursor(v: string | null, id: string): string {
  return Buffer.from(JSON.stringify({ v, id })).toString('base64url');
}

export function decodeCursor(cursor: string): Cursor {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new Problem(422, 'Unprocessable Content', 'The cursor is not one this API issued', {
      errors: [{ path: 'query.cursor', message: 'invalid cursor' }],
    }, 'validation-failed');
  }
}
