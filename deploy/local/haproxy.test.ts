import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { haproxyConfig, parseStatsCsv } from './haproxy';

const layout = {
  host: '127.0.0.1',
  statsPort: 18404,
  backends: [
    { name: 'gateway', port: 14000, replicas: [{ name: 'gateway-1', port: 14100 }, { name: 'gateway-2', port: 14101 }] },
    { name: 'patient', port: 14001, replicas: [{ name: 'patient-1', port: 14110 }, { name: 'patient-2', port: 14111 }] },
  ],
};
const haproxy = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((p) => fs.existsSync(p));

describe('haproxyConfig', () => {
  it('checks every replica on /health and retries a request a replica did not answer on another one', () => {
    const config = haproxyConfig(layout);
    expect(config).toContain('retry-on conn-failure empty-response response-timeout 503');
    expect(config).toContain('option redispatch 1');
    expect(config).toContain('timeout check 3s');
    expect(config.match(/option httpchk GET \/health/g)).toHaveLength(2);
    expect(config).toContain('  server patient-2 127.0.0.1:14111 check');
    expect(config).toContain('  bind 127.0.0.1:14000');
  });

  (haproxy ? it : it.skip)('is accepted by the installed HAProxy (haproxy -c)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haproxy-config-test-'));
    const file = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(file, haproxyConfig(layout));
    expect(() => execFileSync(haproxy!, ['-c', '-q', '-f', file], { stdio: 'pipe' })).not.toThrow();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('parseStatsCsv', () => {
  it('reads requests, retries and redispatches per server and leaves out frontends, backends and the monitor', () => {
    const csv = [
      '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,chkfail,chkdown,req_tot,check_status',
      'monitor,FRONTEND,,,0,1,4096,3,0,0,0,0,0,,,,,OPEN,,,3,',
      'patient,FRONTEND,,,0,2,4096,40,0,0,0,0,0,,,,,OPEN,,,40,',
      'patient,patient-1,0,0,0,1,,20,0,0,,0,,1,2,3,4,UP,5,1,,L7OK',
      'patient,patient-2,0,0,0,1,,20,0,0,,0,,0,0,0,0,UP,0,0,19,L7OK',
      'patient,BACKEND,0,0,0,2,410,40,0,0,0,0,,1,2,3,4,UP,,1,40,',
    ].join('\n');
    expect(parseStatsCsv(csv)).toEqual([
      { backend: 'patient', server: 'patient-1', requests: 20, status: 'UP', errors: 3, retries: 3, redispatches: 4, checksFailed: 5, downs: 1, lastCheck: 'L7OK' },
      { backend: 'patient', server: 'patient-2', requests: 19, status: 'UP', errors: 0, retries: 0, redispatches: 0, checksFailed: 0, downs: 0, lastCheck: 'L7OK' },
    ]);
  });
});
