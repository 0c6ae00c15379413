/** The uuid that sorts before every other: where a keyset walk over (…, id) starts. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
