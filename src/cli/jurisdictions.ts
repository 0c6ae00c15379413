import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  jurisdictionsYaml,
  lgdDistricts,
  lgdStates,
  pinPrefixes,
  pinRows,
} from './lgd-jurisdictions';

const USAGE = `Usage: npm run jurisdictions -- --states lgd-states.csv --districts lgd-districts.csv \\
    --pins <IN.txt (GeoNames) | pincode directory CSV (India Post)> \\
    --lgd-source "<which LGD extract>" --pin-source "<which PIN dataset>" [--out config/jurisdictions.yaml]`;

/** Regenerates config/jurisdictions.yaml from a newer LGD extract and PIN dataset. */
function main(): void {
  const { values } = parseArgs({
    options: {
      states: { type: 'string' },
      districts: { type: 'string' },
      pins: { type: 'string' },
      'lgd-source': { type: 'string' },
      'pin-source': { type: 'string' },
      out: { type: 'string', default: 'config/jurisdictions.yaml' },
    },
  });
  const { states, districts, pins, out } = values;
  const lgd = values['lgd-source'];
  const pinSource = values['pin-source'];
  if (!states || !districts || !pins || !lgd || !pinSource) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const stateList = lgdStates(readFileSync(states, 'utf8'));
  const districtList = lgdDistricts(readFileSync(districts, 'utf8'));
  const prefixes = pinPrefixes(pinRows(readFileSync(pins, 'utf8')), stateList);
  writeFileSync(
    out,
    jurisdictionsYaml(stateList, districtList, prefixes, { lgd, pins: pinSource }),
  );
  process.stdout.write(
    `${out}: ${stateList.length} states, ${districtList.length} districts, ${Object.keys(prefixes).length} PIN prefixes\n`,
  );
}

main();
