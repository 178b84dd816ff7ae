/**
 * Where the handlers' log lines go when an emulator asks for them. In Lambda,
 * what a function writes is its log stream; locally all functions share one
 * process, so the handlers' Powertools logger is given a console whose writes
 * go to the sink of the invocation running at the time (an AsyncLocalStorage
 * context), and to stdout/stderr as before outside any such invocation.
 *
 * Installed only by a local system that has an `onLog` hook, once per process.
 * Nothing global is patched: only the handlers' logger writes here.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Console } from 'node:console';
import { EventEmitter } from 'node:events';
import { handlersLogger } from '../function-code.ts';

export type LogSink = (line: string) => void;

const current = new AsyncLocalStorage<LogSink>();
let installed: Promise<void> | undefined;

/** A stream for Console: a line goes to the current invocation's sink, or else to the real stream. */
class RoutingStream extends EventEmitter {
  constructor(private readonly fallback: NodeJS.WriteStream) {
    super();
  }

  write(chunk: string | Uint8Array): boolean {
    const sink = current.getStore();
    if (!sink) return this.fallback.write(chunk);
    sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }
}

/** Gives the handlers' logger the routing console (the first time; later calls wait for the first). */
export function installLogSink(): Promise<void> {
  installed ??= handlersLogger().then((logger) => {
    const console = new Console({ stdout: new RoutingStream(process.stdout) as never, stderr: new RoutingStream(process.stderr) as never });
    // As Powertools does with its own console: trace prints like log, without a stack (as in Lambda).
    console.trace = (message?: unknown, ...optionalParams: unknown[]) => console.log(message, ...optionalParams);
    // Powertools has no option for its output; `console` is the field its print methods write to.
    Reflect.set(logger, 'console', console);
  });
  return installed;
}

/** Runs `invocation` with its log lines going to `sink`. */
export function withLogSink<T>(sink: LogSink, invocation: () => Promise<T>): Promise<T> {
  return current.run(sink, invocation);
}
