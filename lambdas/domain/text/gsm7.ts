/**
 * GSM 03.38 default alphabet and its extension table: how many septets and
 * parts (segments) an SMS takes (SPEC rules 1 and 9). Anything outside GSM-7 is
 * an error, never a silent switch to UCS-2 (which would more than double the
 * price of every message).
 */
// The 127 printable characters of the default alphabet (0x1B, the escape, is not a character).
const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Extension characters: sent as ESC + char, so they cost two septets. */
const EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(BASIC);
const extension = new Set([...EXTENSION]);

export const SINGLE_SEGMENT_SEPTETS = 160;
export const MULTIPART_SEGMENT_SEPTETS = 153;

export class NotGsm7Error extends Error {
  constructor(readonly characters: string[]) {
    super(`text is not GSM-7: ${characters.map((c) => `${JSON.stringify(c)} (U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`).join(', ')}`);
    this.name = 'NotGsm7Error';
  }
}

/** Characters of `text` that GSM-7 cannot carry, each once, in order of appearance. */
export function findNonGsm7(text: string): string[] {
  const bad = new Set<string>();
  for (const c of text) if (!basic.has(c) && !extension.has(c)) bad.add(c);
  return [...bad];
}

export interface SmsSize {
  segments: number;
  septets: number;
  characters: number;
}

export function measureSms(text: string): SmsSize {
  if (text.length === 0) throw new Error('an SMS cannot be empty');
  const bad = findNonGsm7(text);
  if (bad.length > 0) throw new NotGsm7Error(bad);
  const costs = [...text].map((c) => (extension.has(c) ? 2 : 1));
  const septets = costs.reduce((a, b) => a + b, 0);
  if (septets <= SINGLE_SEGMENT_SEPTETS) return { segments: 1, septets, characters: costs.length };
  // Walk the parts: an escape pair never straddles two parts.
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > MULTIPART_SEGMENT_SEPTETS) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { segments, septets, characters: costs.length };
}
