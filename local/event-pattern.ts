/**
 * EventBridge event-pattern matching for the local bus: exact values,
 * prefix, suffix, anything-but, exists and numeric comparisons, nested
 * objects and arrays in the event, as EventBridge documents them.
 */
type Pattern = Record<string, unknown>;

export function matchesPattern(pattern: Pattern, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([field, rule]) => matchField(rule, event?.[field]));
}

function matchField(rule: unknown, value: unknown): boolean {
  if (Array.isArray(rule)) {
    const values = Array.isArray(value) ? value : [value];
    return rule.some((r) => matchOne(r, values, value));
  }
  if (rule !== null && typeof rule === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    return matchesPattern(rule as Pattern, value as Record<string, unknown>);
  }
  throw new Error(`Invalid event pattern element: ${JSON.stringify(rule)}`);
}

function matchOne(rule: unknown, values: unknown[], raw: unknown): boolean {
  if (rule === null || typeof rule !== 'object') return raw !== undefined && values.some((v) => v === rule);
  const [op, arg] = Object.entries(rule as Record<string, unknown>)[0] ?? [];
  switch (op) {
    case 'exists':
      return arg ? raw !== undefined : raw === undefined;
    case 'prefix':
      return values.some((v) => typeof v === 'string' && v.startsWith(String(arg)));
    case 'suffix':
      return values.some((v) => typeof v === 'string' && v.endsWith(String(arg)));
    case 'anything-but': {
      if (raw === undefined) return false;
      if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
        return values.every((v) => !matchOne(arg, [v], v));
      }
      const excluded = Array.isArray(arg) ? arg : [arg];
      return values.every((v) => !excluded.includes(v));
    }
    case 'numeric': {
      const conditions = arg as Array<string | number>;
      return values.some((v) => {
        if (typeof v !== 'number') return false;
        for (let i = 0; i < conditions.length; i += 2) {
          const bound = Number(conditions[i + 1]);
          const ok = { '<': v < bound, '<=': v <= bound, '=': v === bound, '>': v > bound, '>=': v >= bound }[String(conditions[i])];
          if (!ok) return false;
        }
        return true;
      });
    }
    default:
      throw new Error(`Event pattern operator not supported locally: ${op}`);
  }
}
