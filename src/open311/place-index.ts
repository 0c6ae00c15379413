/** A PIN code's post offices in one LGD district: their count and centroid (data/pin-districts.csv). */
export interface PlaceRow {
  pincode: string;
  stateCode: string;
  /** '' when the source's district matched no LGD district. */
  districtCode: string;
  lat: number;
  long: number;
  offices: number;
}

const CELL_DEG = 0.5;
const EARTH_KM = 6371;
/** A 3×3 block of 0.5° cells reaches at least this far in every direction up to 37° N. */
export const MAX_SEARCH_KM = 40;

export function distanceKm(aLat: number, aLong: number, bLat: number, bLong: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLong = (bLong - aLong) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLong / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

const cellOf = (lat: number, long: number) =>
  `${Math.floor(lat / CELL_DEG)}:${Math.floor(long / CELL_DEG)}`;

/** PIN → rows, and the nearest post-office centroid to a point, over a grid of 0.5° cells. */
export class PlaceIndex {
  private readonly pins = new Map<string, PlaceRow[]>();
  private readonly cells = new Map<string, PlaceRow[]>();

  constructor(rows: PlaceRow[]) {
    for (const row of rows) {
      push(this.pins, row.pincode, row);
      push(this.cells, cellOf(row.lat, row.long), row);
    }
  }

  byPin(pincode: string): PlaceRow[] {
    return this.pins.get(pincode) ?? [];
  }

  nearest(lat: number, long: number, maxKm: number): { row: PlaceRow; km: number } | null {
    if (maxKm > MAX_SEARCH_KM) throw new Error(`maxKm is at most ${MAX_SEARCH_KM}`);
    const [cy, cx] = [Math.floor(lat / CELL_DEG), Math.floor(long / CELL_DEG)];
    let best: { row: PlaceRow; km: number } | null = null;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++)
        for (const row of this.cells.get(`${cy + dy}:${cx + dx}`) ?? []) {
          const km = distanceKm(lat, long, row.lat, row.long);
          if (km <= maxKm && (!best || km < best.km)) best = { row, km };
        }
    return best;
  }
}

function push(map: Map<string, PlaceRow[]>, key: string, row: PlaceRow): void {
  const list = map.get(key);
  if (list) list.push(row);
  else map.set(key, [row]);
}

/** Rows of the CSV (header `pincode,state,district,lat,long,offices`; `#` lines are comments). */
export function parsePlaceRows(csv: string): PlaceRow[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  return lines.slice(1).map((line, i) => {
    const [pincode, stateCode, districtCode, lat, long, offices] = line.split(',');
    const row = {
      pincode,
      stateCode,
      districtCode,
      lat: Number(lat),
      long: Number(long),
      offices: Number(offices),
    };
    if (!/^[1-9]\d{5}$/.test(pincode) || !/^\d{2}$/.test(stateCode) || !Number.isFinite(row.lat))
      throw new Error(`pin-districts line ${i + 2}: not a place row`);
    return row;
  });
}
