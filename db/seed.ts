// Demo accounts for the embedded default (listed in the README). Never run in production.
import bcrypt from 'bcryptjs';
import type { Pool } from 'pg';
import { hashApiKey } from '../api/auth';

export const DEMO_ACCOUNTS = [
  { userId: 'u-caseworker', email: 'caseworker@demo.avrr', password: 'demo-caseworker', role: 'caseworker', office: 'roma', name: 'Chiara Caseworker' },
  { userId: 'u-caseworker-mi', email: 'caseworker.milano@demo.avrr', password: 'demo-caseworker', role: 'caseworker', office: 'milano', name: 'Marco Caseworker' },
  { userId: 'u-supervisor', email: 'supervisor@demo.avrr', password: 'demo-supervisor', role: 'supervisor', office: 'roma', name: 'Sara Supervisor' },
  { userId: 'u-auditor', email: 'auditor@demo.avrr', password: 'demo-auditor', role: 'auditor', office: null, name: 'Aldo Auditor' },
  { userId: 'u-admin', email: 'admin@demo.avrr', password: 'demo-admin', role: 'admin', office: null, name: 'Ada Admin' },
] as const;

export const DEMO_PARTNERS = [
  { partnerId: 'iom-dakar', name: 'IOM mission Dakar', kind: 'iom_mission', apiKey: 'avrr_pk_demo_iom_dakar' },
  { partnerId: 'prefettura-roma', name: 'Prefettura di Roma', kind: 'prefettura', apiKey: 'avrr_pk_demo_prefettura_roma' },
] as const;

export async function seedDemoAccounts(pool: Pool): Promise<void> {
  for (const a of DEMO_ACCOUNTS) {
    await pool.query(
      `INSERT INTO users (user_id, email, display_name, password_hash, role, office) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (user_id) DO NOTHING`,
      [a.userId, a.email, a.name, await bcrypt.hash(a.password, 10), a.role, a.office],
    );
  }
  for (const p of DEMO_PARTNERS) {
    await pool.query('INSERT INTO partners (partner_id, name, kind) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING', [p.partnerId, p.name, p.kind]);
    await pool.query(
      `INSERT INTO partner_api_keys (key_id, partner_id, prefix, key_hash) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING`,
      [`demo-${p.partnerId}`, p.partnerId, p.apiKey.slice(0, 14), hashApiKey(p.apiKey)],
    );
  }
}
