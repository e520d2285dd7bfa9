// Funded places as a transactional ledger: the programme row is locked, active reservations counted,
// and a reservation inserted only below the limit. Twenty racing admissions serialise on the row lock.
import type { Pool } from 'pg';
import { inTransaction } from '../db/pool';

export type Reservation = { ok: true; placesLeft: number } | { ok: false; placesLeft: 0 };

export async function reservePlace(pool: Pool, programmeId: string, caseId: string): Promise<Reservation> {
  return inTransaction(pool, async (client) => {
    const prog = await client.query<{ funded_places: number }>(
      'SELECT funded_places FROM programme_places WHERE programme_id = $1 FOR UPDATE',
      [programmeId],
    );
    if (!prog.rowCount) throw new Error(`programme ${programmeId} has no funded-place ledger`);
    const funded = prog.rows[0].funded_places;
    const mine = await client.query('SELECT 1 FROM place_reservations WHERE case_id = $1 AND released_at IS NULL', [caseId]);
    const used = await activeReservations(client, programmeId);
    if (mine.rowCount) return { ok: true, placesLeft: funded - used }; // a retry of a reservation that committed
    if (used >= funded) return { ok: false, placesLeft: 0 };
    await client.query(
      `INSERT INTO place_reservations (case_id, programme_id) VALUES ($1, $2)
       ON CONFLICT (case_id) DO UPDATE SET programme_id = EXCLUDED.programme_id, reserved_at = now(), released_at = NULL`,
      [caseId, programmeId],
    );
    return { ok: true, placesLeft: funded - used - 1 };
  });
}

async function activeReservations(client: { query: Pool['query'] }, programmeId: string): Promise<number> {
  const res = await client.query<{ n: string }>(
    'SELECT count(*) AS n FROM place_reservations WHERE programme_id = $1 AND released_at IS NULL',
    [programmeId],
  );
  return Number(res.rows[0].n);
}

/** Programme files are the source of funded places; the ledger row follows them at worker start. */
export async function syncFundedPlaces(pool: Pool, programmes: { id: string; fundedPlaces: number }[]): Promise<void> {
  for (const p of programmes) {
    await pool.query(
      `INSERT INTO programme_places (programme_id, funded_places) VALUES ($1, $2)
       ON CONFLICT (programme_id) DO UPDATE SET funded_places = EXCLUDED.funded_places`,
      [p.id, p.fundedPlaces],
    );
  }
}
