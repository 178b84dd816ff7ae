/**
 * Who is calling, in a process that runs every function of the stack: each
 * invocation runs in an async context that names its function, its role and
 * its own environment. process.env becomes a view that, inside an
 * invocation, shows the function's own variables and hides every other
 * function's, so a handler sees exactly what Lambda would give it. Outside
 * any invocation (tests, the ops CLI, the local run itself) nothing changes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RoleModel } from './model.ts';

export interface Caller {
  /** The function's logical id (what AccessDenied names). */
  name: string;
  role: RoleModel;
  /** The function's variables as the template sets them, plus what the Lambda runtime adds. */
  environment: Readonly<Record<string, string>>;
}

const callers = new AsyncLocalStorage<Caller>();
/** Every variable some function of some local system sets: hidden from the functions that do not set it. */
const stackVariables = new Set<string>();
let installed = false;

export const currentCaller = (): Caller | undefined => callers.getStore();

export function runAs<T>(caller: Caller, run: () => T): T {
  return callers.run(caller, run);
}

/** Makes process.env per function (once per process); `variables` are the names the stack's functions set. */
export function installFunctionEnvironments(variables: Iterable<string>): void {
  for (const name of variables) stackVariables.add(name);
  if (installed) return;
  installed = true;
  const base = process.env;
  const visible = (key: string) => {
    const caller = callers.getStore();
    if (!caller) return { found: key in base, value: base[key] };
    if (Object.hasOwn(caller.environment, key)) return { found: true, value: caller.environment[key] };
    if (stackVariables.has(key)) return { found: false, value: undefined };
    return { found: key in base, value: base[key] };
  };
  process.env = new Proxy(base, {
    // Writes (the local run's own settings) go to the process environment itself.
    set: (target, key, value) => Reflect.set(target, key, value),
    deleteProperty: (target, key) => Reflect.deleteProperty(target, key),
    get: (target, key) => (typeof key === 'string' ? visible(key).value : Reflect.get(target, key)),
    has: (target, key) => (typeof key === 'string' ? visible(key).found : Reflect.has(target, key)),
    ownKeys: (target) => {
      const caller = callers.getStore();
      const keys = Reflect.ownKeys(target).filter((k) => typeof k !== 'string' || !caller || !stackVariables.has(k) || Object.hasOwn(caller.environment, k));
      return caller ? [...new Set([...keys, ...Object.keys(caller.environment)])] : keys;
    },
    getOwnPropertyDescriptor: (target, key) => {
      if (typeof key !== 'string') return Reflect.getOwnPropertyDescriptor(target, key);
      const { found, value } = visible(key);
      return found ? { value, writable: true, enumerable: true, configurable: true } : undefined;
    },
  });
}
