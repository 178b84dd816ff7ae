/**
 * SPEC rule 10, "nothing a phisher can use": a BHXHVN message never carries a
 * link, an e-mail address or a phone number that its template does not hold.
 * This module finds them in a free-text value (a name, a reason, an agency, a
 * campaign value) so that the value is refused at the edge, with the reason.
 *
 * It looks at the text as the citizen's phone would show it: after
 * transliteration (`bhxh-vn.tóp` is sent as `bhxh-vn.top`).
 *
 * The measures:
 * - **web address**: a scheme (`http://`, `https://`, any `name://`) or `www.`;
 * - **domain name**: dot-separated ASCII labels (letters, digits, inner
 *   hyphens), no spaces, whose last label is a known top-level domain
 *   (`KNOWN_TLDS`, case-insensitive) and whose label before it has at least 2
 *   characters (or which is followed by a path, as in `t.me/x`). A list, not
 *   "any 2 to 6 letters": that would refuse `TP.HCM` (label `TP`, "TLD"
 *   `HCM`), `TP.HN`, `process.env`… Single-letter abbreviations (`Q.1`,
 *   `P.Tân Định`, `A.B.C`) never make a domain. One exception keeps ordinary
 *   sentences: two plain words joined by a full stop with no space, the second
 *   Capitalised and one of the few TLDs that are also Vietnamese words
 *   (`thiếu tờ khai.Có…`, `…hợp lệ.Lý do…`), is read as a missing space;
 * - **e-mail address**: `local@domain.tld`;
 * - **phone number**: digit groups (joined by single spaces, dots, dashes or
 *   brackets, a leading `+` kept) of 9 to 12 digits that `normalizeVnMobile`
 *   accepts as a Vietnamese mobile (03/05/07/08/09 after normalisation, or an
 *   11-digit pre-2018 number), a fixed line (0 + 10 digits starting with 2),
 *   or a 1800/1900 service number written as such. A 10-digit BHXH number
 *   (`0113096123`) or a bank account such as `0123456789` is none of these:
 *   after the leading 0 it has 9 digits starting with 1, which is neither a
 *   2018-converted 11-digit number (that needs 10 digits after the 0) nor a
 *   valid mobile. Known limit: an amount written `84.912.345.678` reads as
 *   +84 912 345 678 and is refused.
 */
import { maskPhone, normalizeVnMobile } from './phone.ts';
import { transliterate } from './text/transliterate.ts';

export type BaitKind = 'web-address' | 'e-mail' | 'phone';

export interface Bait {
  kind: BaitKind;
  /** What was found, safe to log: a web address as written, an e-mail address or a phone number masked. */
  shown: string;
}

/**
 * Top-level domains that make a dotted token a domain name: the generic ones,
 * Viet Nam's, the new ones phishing and spam use most, and the country codes
 * of link shorteners, chat links and free hosting. Lower case.
 */
export const KNOWN_TLDS: ReadonlySet<string> = new Set([
  // generic
  ...['com', 'net', 'org', 'info', 'biz', 'edu', 'gov', 'int', 'mil', 'name', 'pro', 'mobi', 'asia', 'tel', 'travel', 'jobs'],
  // new generic TLDs seen most in phishing and spam
  ...['top', 'xyz', 'site', 'online', 'store', 'shop', 'club', 'vip', 'live', 'life', 'link', 'click', 'icu', 'work', 'fun', 'space', 'website'],
  ...['tech', 'app', 'dev', 'page', 'cloud', 'host', 'buzz', 'monster', 'cyou', 'sbs', 'cfd', 'bond', 'rest', 'lol', 'win', 'bid', 'loan', 'men'],
  ...['date', 'download', 'stream', 'racing', 'review', 'party', 'trade', 'science', 'cam', 'kim', 'pw', 'email', 'today', 'world', 'news', 'blog'],
  ...['digital', 'network', 'support', 'services', 'center', 'company', 'agency', 'global', 'zone', 'best', 'guru', 'ltd', 'group', 'finance'],
  ...['money', 'bank', 'help', 'gdn', 'uno', 'skin', 'beauty', 'hair', 'quest', 'autos'],
  // country codes: Viet Nam, and those of shorteners, chat links and free hosting
  ...['vn', 'io', 'me', 'co', 'cc', 'tk', 'ml', 'ga', 'cf', 'gq', 'ly', 'to', 'ws', 'su', 'ru', 'cn', 'us', 'uk', 'tv', 'ai', 'gg', 'la', 'sh'],
  ...['in', 'eu', 'jp', 'kr', 'hk', 'tw', 'ph', 'id', 'au', 'nu', 'am', 'fm', 'im'],
]);

/** TLDs that are also Vietnamese words that start a sentence (Có, Tờ, Lý, Mẹ, Là, Ai, In, Cam, Kim, Mến…): see "missing space" above. */
const ALSO_A_WORD: ReadonlySet<string> = new Set(['co', 'to', 'ly', 'me', 'la', 'ai', 'in', 'cam', 'kim', 'men', 'id', 'am', 'nu']);

const SCHEME = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/\S*/;
const WWW = /(?<![A-Za-z0-9-])www\.\S*/i;
const EMAIL = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+)@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,})(?![A-Za-z0-9-])/;
const EMAILS = new RegExp(EMAIL.source, 'g');
const DOTTED = /(?<![A-Za-z0-9.-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+)([A-Za-z]{2,24})(?![A-Za-z0-9-])(\/)?/g;

const trimmedUrl = (s: string) => s.replace(/[)\]}>"',;.!?]+$/, '');

/** `x…@domain` → `x***@domain`: the kind of address, not the address. */
const maskEmail = (local: string, domain: string) => `${local.slice(0, 1)}***@${domain}`;

function findDomain(text: string): string | undefined {
  for (const match of text.matchAll(DOTTED)) {
    const name = `${match[1]}${match[2]}`;
    const labels = name.split('.');
    const last = match[2] ?? '';
    const tld = last.toLowerCase();
    const withPath = match[3] === '/';
    const beforeTld = labels[labels.length - 2] ?? '';
    if (!KNOWN_TLDS.has(tld)) continue;
    if (beforeTld.length < 2 && !withPath) continue;
    // `khai.Có nghĩa` written without its space: two plain words, the second Capitalised, a TLD that is also a word.
    const plainWords = labels.length === 2 && labels.every((l) => /^[A-Za-z]+$/.test(l));
    if (!withPath && plainWords && /^[A-Z][a-z]+$/.test(last) && ALSO_A_WORD.has(tld)) continue;
    return name;
  }
  return undefined;
}

interface Candidate {
  /** The digits, with a leading `+` when one was written. */
  number: string;
  /** The first group of digits as written: a 1900 number starts one. */
  firstGroup: string;
}

/** Digit groups joined by single separators; a run of whole groups of 8 to 12 digits is a candidate number. */
function phoneCandidates(text: string): Candidate[] {
  const groups = [...text.matchAll(/\d+/g)].map((m) => ({ digits: m[0], start: m.index, end: m.index + m[0].length }));
  const candidates: Candidate[] = [];
  groups.forEach((first, i) => {
    const plus = /(?:\+\(?|\(\+)$/.test(text.slice(Math.max(0, first.start - 2), first.start)) ? '+' : '';
    let digits = '';
    let previousEnd = first.start;
    for (const group of groups.slice(i)) {
      if (group !== first && !/^[ .\-()]{1,3}$/.test(text.slice(previousEnd, group.start))) break;
      digits += group.digits;
      previousEnd = group.end;
      if (digits.length > 12) break;
      if (digits.length >= 8) candidates.push({ number: plus + digits, firstGroup: first.digits });
    }
  });
  return candidates;
}

/** The national significant number of a Vietnamese number as written (0…, 84…, +84…), or undefined. */
function nationalNumber(candidate: string): string | undefined {
  if (candidate.startsWith('+84')) return candidate.slice(3);
  if (candidate.startsWith('+')) return undefined;
  if (candidate.startsWith('84') && candidate.length >= 11) return candidate.slice(2);
  if (candidate.startsWith('0')) return candidate.slice(1);
  return undefined;
}

function findPhone(text: string): string | undefined {
  for (const { number, firstGroup } of phoneCandidates(text)) {
    // 1800/1900 service numbers, written as such (not the 1 of 1.900.000.000 đồng).
    if (/^1[89]00(\d{4}|\d{6})$/.test(number) && /^1[89]00/.test(firstGroup)) return `${number.slice(0, 4)}****`;
    if (number.replace('+', '').length < 9) continue;
    const mobile = normalizeVnMobile(number);
    if (mobile.ok) return maskPhone(mobile.e164);
    const national = nationalNumber(number);
    // A fixed line since 2017: 2 and 9 more digits (area code, then the subscriber).
    if (national && /^2\d{9}$/.test(national)) return maskPhone(`+84${national}`);
  }
  return undefined;
}

/**
 * What in `value` rule 10 forbids, at most one finding of each kind (web
 * address, e-mail, phone), in that order; empty when the text is clean. Looks
 * at the text as sent (transliterated).
 */
export function findBaits(value: string): Bait[] {
  const text = transliterate(value);
  const found: Bait[] = [];
  const url = SCHEME.exec(text) ?? WWW.exec(text);
  const email = EMAIL.exec(text);
  const domain = url ? undefined : findDomain(text.replace(EMAILS, ' '));
  if (url) found.push({ kind: 'web-address', shown: trimmedUrl(url[0]) });
  else if (domain) found.push({ kind: 'web-address', shown: domain });
  if (email) found.push({ kind: 'e-mail', shown: maskEmail(email[1] ?? '', email[2] ?? '') });
  const phone = findPhone(text);
  if (phone) found.push({ kind: 'phone', shown: phone });
  return found;
}

/** The first thing in `value` that rule 10 forbids, or undefined when the text is clean. */
export const findBait = (value: string): Bait | undefined => findBaits(value)[0];

const SAID: Record<BaitKind, string> = {
  'web-address': 'a web address',
  'e-mail': 'an e-mail address',
  phone: 'a phone number',
};

/** The zod message: `contains a web address (bhxh-vn.top); a BHXHVN message never carries one`. */
export function describeBait(bait: Bait): string {
  return `contains ${SAID[bait.kind]} (${bait.shown}); a BHXHVN message never carries one`;
}
