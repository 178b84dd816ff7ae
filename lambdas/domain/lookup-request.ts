/**
 * The 8079 syntaxes (SPEC "8079 look-ups"), read the way citizens type them:
 * any case, extra spaces or dots, `BHQT` without a space, Vietnamese marks
 * (`BH THẺ`), and month ranges as mm/yyyy, mm-yyyy or mmyyyy. Anything else is
 * a request for help. Never throws.
 */
import { transliterate } from './text/transliterate.ts';

export type LookupRequest =
  | { kind: 'history'; personId: string; from?: string; to?: string }
  | { kind: 'card'; cardNo: string }
  | { kind: 'dossier'; dossierNo: string }
  | { kind: 'password-reset'; personId: string }
  | { kind: 'help' };

const COMMAND = /^B[\s.]*H[\s.,:]*(QT|THE|HS|MK)(?![A-Z])[\s.,:]*(.*)$/;

/** A year (2017) or a month (11/2018, 11-2018, 112018) as the start or end of a range, in YYYY-MM. */
function rangeBound(token: string, end: boolean): string | undefined {
  let match = /^(\d{4})$/.exec(token);
  if (match) return `${match[1]}-${end ? '12' : '01'}`;
  match = /^(\d{1,2})[/-](\d{4})$/.exec(token) ?? /^(\d{2})(\d{4})$/.exec(token);
  if (match) {
    const month = Number(match[1]);
    if (month >= 1 && month <= 12) return `${match[2]}-${String(month).padStart(2, '0')}`;
  }
  return undefined;
}

export function parseLookup(body: string): LookupRequest {
  const text = transliterate(String(body ?? ''))
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim();
  const command = COMMAND.exec(text);
  if (!command) return { kind: 'help' };
  const [, keyword, rest = ''] = command;
  const args = rest.replace(/[.,\s]+$/, '');
  switch (keyword) {
    case 'QT': {
      const tokens = args.split(/[\s,;]+|\.(?=\s|\d{4}\b)/).filter(Boolean);
      const [personId, fromToken, toToken] = tokens;
      if (personId === undefined || !/^\d{10}$/.test(personId)) return { kind: 'help' };
      if (tokens.length === 1) return { kind: 'history', personId };
      if (tokens.length !== 3 || fromToken === undefined || toToken === undefined) return { kind: 'help' };
      const from = rangeBound(fromToken, false);
      const to = rangeBound(toToken, true);
      if (!from || !to || from > to) return { kind: 'help' };
      return { kind: 'history', personId, from, to };
    }
    case 'THE': {
      const cardNo = args.replace(/[\s.]/g, '');
      return /^[A-Z]{2}[1-5]\d{12}$/.test(cardNo) ? { kind: 'card', cardNo } : { kind: 'help' };
    }
    case 'HS': {
      const dossierNo = args.replace(/\s/g, '');
      return /^[A-Z0-9][A-Z0-9/_.-]{0,39}$/.test(dossierNo) ? { kind: 'dossier', dossierNo } : { kind: 'help' };
    }
    case 'MK': {
      const personId = args.replace(/[\s.]/g, '');
      return /^\d{10}$/.test(personId) ? { kind: 'password-reset', personId } : { kind: 'help' };
    }
  }
  return { kind: 'help' };
}
