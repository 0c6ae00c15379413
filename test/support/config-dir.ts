import { join } from 'node:path';

/**
 * The configuration the tests load: their own portals, routing and SLA files (jurisdictions and
 * categories link to config/), so adding a portal or a rule to the shipped config/ never edits a
 * test that lists every portal. Only the specs about the shipped files read config/.
 */
export const TEST_CONFIG_DIR = join(__dirname, '..', 'config');
