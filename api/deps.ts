// What the API needs from the outside world; tests build it from the real servers.
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../common/config';
import type { Programme } from '../workflows/domain/programme';

export interface AppDeps {
  config: Config;
  pool: Pool;
  temporal: Client;
  programmes: Map<string, Programme>;
}
