const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Hub patient ids are UUIDs; anything else cannot name a patient (and must not reach a uuid cast). */
export const isHubId = (id: string): boolean => UUID.test(id);
