// Staff accounts made up for one test file, in an office of their own, so its cases and queues are its alone.
import crypto from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Harness } from './harness';

export interface Staff {
  userId: string;
  email: string;
  password: string;
  office: string;
  token: string;
}

export async function createStaff(h: Harness, role: 'caseworker' | 'supervisor', office: string): Promise<Staff> {
  const id = crypto.randomUUID().slice(0, 8);
  const userId = `u-${role}-${id}`;
  const email = `${role}-${id}@test.avrr`;
  const password = `pw-${id}`;
  // Cost 4: the lowest bcrypt allows; these accounts live for one test run.
  await h.pool.query(
    'INSERT INTO users (user_id, email, display_name, password_hash, role, office) VALUES ($1, $2, $3, $4, $5, $6)',
    [userId, email, `Test ${role}`, await bcrypt.hash(password, 4), role, office],
  );
  const r = await h.http('POST', '/api/v1/auth/login', { body: { email, password } });
  if (r.status !== 200) throw new Error(`login ${email} failed: ${r.status}`);
  return { userId, email, password, office, token: r.body.token };
}
