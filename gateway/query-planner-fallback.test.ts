/**
 * The Rust planner is a native addon for Linux and macOS on x64 and arm64 only: where it cannot load, the gateway
 * started with the default runs the JavaScript planner and logs why; a caller without a logger (the bench) sees
 * the failure itself.
 */
jest.mock('@graphql-hive/router-runtime', () => {
  throw new Error('Cannot find module @graphql-hive/router-query-planner-win32-x64-msvc');
});

import { unifiedGraphHandlerFor } from './server';

describe('unifiedGraphHandlerFor where the Rust planner cannot load', () => {
  it('falls back to the JavaScript planner and says why', async () => {
    const logged: unknown[][] = [];
    const log = { error: (...args: unknown[]) => logged.push(args) };
    await expect(unifiedGraphHandlerFor('rust', log as never)).resolves.toBeUndefined();
    expect(logged).toEqual([[expect.objectContaining({ platform: `${process.platform}-${process.arch}` }), expect.stringContaining('runs the JavaScript one')]]);
  });

  it('fails without a logger to say so, and the JavaScript planner needs no addon', async () => {
    await expect(unifiedGraphHandlerFor('rust')).rejects.toThrow('router-query-planner');
    await expect(unifiedGraphHandlerFor('js')).resolves.toBeUndefined();
  });
});
