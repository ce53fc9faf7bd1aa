import { utilityProcess } from 'electron';
import type { HookProcess } from './global-key-hook-process';

/**
 * The key hook's worker as an Electron utility process (the packaged app cannot run itself as
 * plain Node: the runAsNode fuse is off). Its output is dropped: libuiohook prints its failures to
 * stderr, and the worker reports them as messages anyway.
 */
export function spawnUtilityHookProcess(script: string): HookProcess {
  const child = utilityProcess.fork(script, [], { serviceName: 'Kiyo key hook', stdio: 'ignore' });
  // A message posted before the process is up could be lost: hold it until 'spawn'.
  let spawned = false;
  const queue: unknown[] = [];
  child.once('spawn', () => {
    spawned = true;
    for (const message of queue.splice(0)) child.postMessage(message);
  });
  return {
    send: (message) => (spawned ? child.postMessage(message) : queue.push(message)),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code) => listener(code)),
    kill: () => {
      child.kill();
    },
  };
}
