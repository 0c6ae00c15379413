import type { Provider } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../platform/paths';
import { parsePlaceRows, PlaceIndex } from './place-index';

export const PLACE_INDEX = Symbol('PLACE_INDEX');
export const PLACES_FILE = join('data', 'pin-districts.csv');

/** Read once at start: a missing or malformed file stops the hub, naming the file and line. */
export const placeIndexProvider: Provider = {
  provide: PLACE_INDEX,
  useFactory: () => {
    const file = join(repoRoot(), PLACES_FILE);
    try {
      return new PlaceIndex(parsePlaceRows(readFileSync(file, 'utf8')));
    } catch (error) {
      throw new Error(`${PLACES_FILE}: ${(error as Error).message}`);
    }
  },
};
