import { parseEventsCommand, UsageError } from './events';

const parse = (line: string) => parseEventsCommand(line.split(' ').filter(Boolean), 'cli:tester');

describe('npm run events arguments', () => {
  it('reads list with its filter and page', () => {
    expect(parse('list --source genomics.outbox --consumer inference --first 10 --after 42')).toEqual({
      kind: 'list',
      filter: { source: 'genomics.outbox', consumer: 'inference' },
      first: 10,
      after: '42',
      json: false,
    });
  });

  it('reads replay of ids, and of all, with who asked', () => {
    expect(parse('replay 7 9')).toEqual({ kind: 'replay', ids: ['7', '9'], filter: { source: undefined, consumer: undefined }, by: 'cli:tester' });
    expect(parse('replay --all --source patient.outbox --by alice')).toEqual({ kind: 'replay', ids: 'all', filter: { source: 'patient.outbox', consumer: undefined }, by: 'alice' });
  });

  it('answers --help with the usage', () => {
    expect(parse('--help')).toEqual({ kind: 'help' });
    expect(parse('replay -h')).toEqual({ kind: 'help' });
  });

  it.each([
    ['', 'give a command: list or replay'],
    ['purge', 'unknown command "purge": give list or replay'],
    ['replay', 'replay needs dead-letter ids, or --all'],
    ['replay 7 --all', 'give dead-letter ids or --all, not both'],
    ['replay abc', 'not dead-letter ids: abc'],
    ['list --first 0', '--first 0 is outside 1..500'],
    ['list --source patient.outbx', '--source "patient.outbx" is not an outbox (patient.outbox, genomics.outbox)'],
    ['list --frist 3', "Unknown option '--frist'"],
  ])('refuses "%s" with a usage error', (line, message) => {
    expect(() => parse(line)).toThrow(UsageError);
    expect(() => parse(line)).toThrow(message);
  });
});
