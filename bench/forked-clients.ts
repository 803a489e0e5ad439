import { fork, type ChildProcess } from 'node:child_process';
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * The subscription benches' two processes: the hub in the bench's own process, the clients (every
 * subscription, and the mutations, so send and receive are read on one clock) in a forked child that
 * answers commands. This module is both sides of that conversation.
 */

/** `global.gc`, as --expose-gc gives it, but under `tsx` without passing node flags through. */
export function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/**
 * Forks `file` with `--role <role>` (default `clients`; inheriting this process's execArgv, i.e. tsx's loader) and returns
 * `request(command)`: sends the command with an id and resolves with the child's answer to that id.
 */
export function forkClientProcess(file: string, role = 'clients', args: string[] = []): { child: ChildProcess; request: <T>(command: Record<string, unknown>) => Promise<T> } {
  const child = fork(file, ['--role', role, ...args], { stdio: 'inherit' });
  let next = 0;
  const pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(`client process: ${message.error}`));
    else waiter?.resolve(message.result as never);
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`client process exited with ${code}`));
  });
  return {
    child,
    request: <T>(command: Record<string, unknown>) =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve: resolve as (value: never) => void, reject });
        child.send({ ...command, id });
      }),
  };
}

/**
 * The child side: answers each command with `handle(command)`'s result (plus the child's RSS as
 * `clientRss`) or its error, under the command's id; exits when the parent goes.
 */
export function answerCommands<C extends { type: string; id: number }>(handle: (command: C) => Promise<unknown>): void {
  process.on('message', (command: C) => {
    handle(command).then(
      (result) => process.send!({ id: command.id, result: { ...(result as object), clientRss: process.memoryUsage().rss } }),
      (error: unknown) => process.send!({ id: command.id, error: String((error as Error).stack ?? error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
