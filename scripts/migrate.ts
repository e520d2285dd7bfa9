// `node dist/scripts/migrate.js` (or `npm run migrate`): applies the database migrations to DATABASE_URL and
// exits. A deployment runs it once before starting new API and worker processes (docker-compose's `migrate`).
import { logger } from '../common/logger';
import { migrate } from '../db/migrate';
import { productionConfig } from './production';

const cfg = productionConfig(['DATABASE_URL']);
migrate(cfg.DATABASE_URL)
  .then((ran) => {
    logger.info({ migrations: ran }, ran.length ? `migrations applied: ${ran.length}` : 'migrations: already up to date');
    process.exit(0);
  })
  .catch((err) => {
    logger.fatal({ err }, 'migrations failed');
    process.exit(1);
  });
