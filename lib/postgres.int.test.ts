import { createPool } from './postgres';
import { TEST_DATABASE_URL } from '../tests/support/config';

describe('createPool', () => {
  it('turns JIT compilation off on its connections (short queries compiled for longer than they run)', async () => {
    const pool = createPool(TEST_DATABASE_URL);
    try {
      expect((await pool.query('SHOW jit')).rows).toEqual([{ jit: 'off' }]);
      // In a transaction on a checked-out client too.
      const client = await pool.connect();
      try {
        expect((await client.query('SHOW jit')).rows).toEqual([{ jit: 'off' }]);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });
});
