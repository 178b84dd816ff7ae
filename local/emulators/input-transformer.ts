/**
 * EventBridge's input transformer, as a rule target applies it: each name of
 * InputPathsMap takes the value at its JSON path in the event (`$.detail.x.y`,
 * dots only: the paths this stack uses), and each `<name>` of InputTemplate is
 * replaced by it. Inside quotes the raw text goes in; elsewhere the value as
 * JSON (a string with its quotes), or `null` when the event has no such path.
 * The stack uses it to keep an e-mail address out of the SES events' queue.
 */
export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

function valueAt(event: unknown, path: string): unknown {
  if (path === '$') return event;
  if (!path.startsWith('$.')) throw new Error(`input transformer path not supported locally: ${path}`);
  let value: unknown = event;
  for (const part of path.slice(2).split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function transformInput(transformer: InputTransformer, event: unknown): string {
  const values = new Map(Object.entries(transformer.InputPathsMap ?? {}).map(([name, path]) => [name, valueAt(event, path)]));
  return transformer.InputTemplate.replace(/("?)<([A-Za-z0-9_.-]+)>("?)/g, (whole, open: string, name: string, close: string) => {
    if (name === 'aws.events.event.json') return `${open}${JSON.stringify(event)}${close}`;
    if (!values.has(name)) return whole;
    const value = values.get(name);
    if (open && close) return `"${value === undefined || value === null ? '' : typeof value === 'string' ? value.replace(/["\\]/g, '\\$&') : JSON.stringify(value)}"`;
    return `${open}${value === undefined ? 'null' : JSON.stringify(value)}${close}`;
  });
}
