import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { lgdDistricts, lgdStates } from './lgd-jurisdictions';
import { districtMatcher, pinDistrictRows, pinDistrictsCsv, postOffices } from './pin-districts';
import { evaluatePlaces } from './pin-districts-evaluation';

const USAGE = `Usage: npm run pin-districts -- --states lgd-states.csv --districts lgd-districts.csv \\
    --pins IN.txt (GeoNames) --pin-source "<which PIN dataset>" [--out data/pin-districts.csv]`;

/** Regenerates data/pin-districts.csv and prints how well districts match (docs/open311.md). */
function main(): void {
  const { values } = parseArgs({
    options: {
      states: { type: 'string' },
      districts: { type: 'string' },
      pins: { type: 'string' },
      'pin-source': { type: 'string' },
      out: { type: 'string', default: 'data/pin-districts.csv' },
    },
  });
  const { states, districts, pins, out } = values;
  const source = values['pin-source'];
  if (!states || !districts || !pins || !source) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const match = districtMatcher(
    lgdStates(readFileSync(states, 'utf8')),
    lgdDistricts(readFileSync(districts, 'utf8')),
  );
  const offices = postOffices(readFileSync(pins, 'utf8'));
  const rows = pinDistrictRows(offices, match);
  writeFileSync(out, pinDistrictsCsv(rows, source));
  process.stdout.write(`${JSON.stringify(evaluatePlaces(offices, rows, match), null, 2)}\n`);
}

main();
