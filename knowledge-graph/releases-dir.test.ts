import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_RELEASES_DIR, releasesDirFrom, SHARED_RELEASES_DIR } from './releases';

describe('releasesDirFrom', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'releases-dir-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("takes KG_RELEASES_DIR, else the user's own knowledge-graph/data, else the shared placement beside the clone", () => {
    const own = path.join(root, 'data');
    const shared = path.join(root, 'shared');
    expect(releasesDirFrom({ KG_RELEASES_DIR: '/somewhere' }, [own, shared])).toBe('/somewhere');
    // Neither exists: the default, so the start-up log names the files missing there.
    expect(releasesDirFrom({}, [own, shared])).toBe(own);
    fs.mkdirSync(shared);
    expect(releasesDirFrom({}, [own, shared])).toBe(shared);
    fs.mkdirSync(own);
    expect(releasesDirFrom({}, [own, shared])).toBe(own);
  });

  it('looks for the shared placement in shared/knowledge-releases beside the repository', () => {
    expect(path.relative(path.resolve(DEFAULT_RELEASES_DIR, '..', '..'), SHARED_RELEASES_DIR)).toBe(path.join('..', 'shared', 'knowledge-releases'));
  });
});
