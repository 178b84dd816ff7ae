/**
 * Does a province's proposed template repeat a message the central agency
 * already sends? Seed 001 (Official Letter 774/CNTT-PM): provinces must not
 * send messages "trùng với các nội dung tin nhắn mà BHXH Việt Nam đã triển
 * khai"; a template that does is refused whole, naming the central kind.
 *
 * The measure compares WORDING, placeholders and values aside:
 *
 * 1. Every central template of `templates.ts` is rendered once per wording
 *    variant (see CENTRAL_SAMPLES) with each free-text value given as a
 *    `((field))` placeholder, and numbers and dates as real values. The mapped
 *    type of CENTRAL_SAMPLES makes the compiler refuse a kind without samples,
 *    so a new central kind is compared from the day it is added.
 * 2. Both texts are normalised the same way: placeholders become a value
 *    token; the text is transliterated (the function that renders every SMS)
 *    and lowercased; any token containing a digit is a value (amounts, dates,
 *    months, percentages, times, codes such as `QW18013` or `03085_G/2018/00604`);
 *    a currency word right after a value (`đ`, `đồng`, `VNĐ`) belongs to it (found
 *    before transliteration, which would confuse `đồng` with `đóng`); the
 *    salutations `ông`/`bà` are dropped (SPEC rule 8 picks them per person);
 *    punctuation only separates words. Values are then removed, so names,
 *    numbers, dates, the agency and the form of the currency cannot hide a copy.
 * 3. Each text becomes its set of word 3-shingles (three consecutive syllables:
 *    about one Vietnamese word and a half, specific enough that common pairs
 *    such as "hồ sơ", "thẻ BHYT", "đề nghị" do not match by themselves). An
 *    edit costs only the two or three shingles that straddle it, so an added
 *    greeting, a sign-off, a literal unit or agency name, or a reordered clause
 *    leave most of the central shingles in place.
 * 4. The score of a kind is the CONTAINMENT of its shingles in the proposal:
 *    |central ∩ proposal| / |central| (its best wording variant). Containment,
 *    not Jaccard: a proposal that wraps the whole central message in more text
 *    still repeats it.
 * 5. A proposal is a copy when some kind scores at least COPY_THRESHOLD. The
 *    kind named is the one of those with the most shared shingles (then the
 *    best score), because a short central wording can be wholly contained in a
 *    longer one: the copy of "dossier resolved" also contains the 8079 answer
 *    "Hồ sơ số … đã được giải quyết xong", and the longer kind is the one copied.
 *
 * COPY_THRESHOLD = 0.5: the tests (test/domain/campaign-proposals) measure the
 * legitimate province messages (related topics, shared phrases such as "để được
 * đảm bảo quyền lợi", "chi tiết liên hệ", "không cung cấp mã … cho bất kỳ ai")
 * at most 0.29, and the lightly edited copies at least 0.68 (arbitrary renderings
 * of every central template with their names left in: at least 0.6, the lowest
 * of 200,000 runs of the property test once every wording variant is a sample);
 * 0.5 sits in the middle of that margin. It means "half of the central wording,
 * in runs of three syllables, is in the proposal".
 */
import { type TemplateData, type TemplateId, templates } from '../templates.ts';
import { transliterate } from '../text/transliterate.ts';

export const COPY_THRESHOLD = 0.5;
const SHINGLE = 3;

export type CentralCopyVerdict = { copy: false; closest: { kind: TemplateId; score: number } } | { copy: true; kind: TemplateId; score: number };

export interface KindScore {
  kind: TemplateId;
  /** Containment of the kind's shingles in the proposal, 0..1. */
  score: number;
  /** How many of the kind's shingles the proposal shares. */
  shared: number;
}

/**
 * The data each central template is rendered with: free text as `((field))`,
 * one sample per wording variant (enums, optional parts). Exported for the
 * property test, which derives arbitrary data from these shapes.
 */
export const CENTRAL_SAMPLES: { readonly [K in TemplateId]: readonly TemplateData<K>[] } = {
  'unit-payment-received': [{ unitName: '((unitName))', unitCode: '((unitCode))', amount: 10_000_000, agency: '((agency))' }],
  'contribution-stopped': [{ fullName: '((fullName))', personId: '((personId))', unitName: '((unitName))', fromMonth: '2018-11' }],
  'dossier-accepted': [{ dossierNo: '((dossierNo))', expectedResultDate: '2018-12-06' }],
  'dossier-rejected': [{ dossierNo: '((dossierNo))', reason: '((reason))' }],
  'dossier-resolved': [{ dossierNo: '((dossierNo))' }],
  'health-card-expiring': [{ cardNo: '((cardNo))', validTo: '2018-12-31' }],
  'facility-claims-summary': [{ facilityCode: '((facilityCode))', month: '2019-04', claimCount: 10_132, claimAmount: 11_967_526_000, onTimeRate: 0.72 }],
  'unit-monthly-statement': [
    { unitName: '((unitName))', month: '2019-05', paidAmount: 9_249_473_860, carriedOverAmount: 214_541_737, expectedAmount: 8_931_964_403, agency: '((agency))' },
  ],
  'voluntary-term-ending': [{ fullName: '((fullName))', paidThrough: '2019-06' }],
  'collection-confirmed': [
    { confirmationCode: '((code))', fullName: '((fullName))', personId: '((personId))', paidAt: '2024-05-02', amount: 990_000, scheme: 'voluntary-social', months: 3 },
    { confirmationCode: '((code))', fullName: '((fullName))', personId: '((personId))', paidAt: '2024-05-02', amount: 1_263_600, scheme: 'household-health', months: 12 },
  ],
  'collector-summary': [
    { collectorCode: '((collectorCode))', date: '2024-05-02', count: 12, total: 15_000_000 },
    { collectorCode: '((collectorCode))', date: '2024-05-02', count: 2, total: 1_500_000, supplement: 1 },
  ],
  'dossier-overdue-apology': [{ dossierNo: '((dossierNo))', expectedResultDate: '2018-12-06' }],
  'password-reminder': [{ loginName: '((loginName))' }],
  'lookup-mismatch': [{}],
  'lookup-help': [{}],
  'lookup-rate-limited': [{ limit: 10 }],
  // Three wordings: with "; và N giai đoạn khác", without it (N = 0: a copy scored only 0.4 against the first
  // when its names were left in), and with no period at all.
  'lookup-history': [
    { personId: '((personId))', months: 120, periods: '((periods))', more: 2 },
    { personId: '((personId))', months: 120, periods: '((periods))', more: 0 },
    { personId: '((personId))', months: 0, range: '((range))', periods: '', more: 0 },
  ],
  'lookup-card-valid': [{ cardNo: '((cardNo))', validTo: '2018-12-31' }],
  'lookup-card-expired': [{ cardNo: '((cardNo))', validTo: '2018-12-31' }],
  'lookup-dossier': [
    { dossierNo: '((dossierNo))', status: 'received', expectedResultDate: '2018-12-06' },
    { dossierNo: '((dossierNo))', status: 'overdue', expectedResultDate: '2018-12-06' },
    { dossierNo: '((dossierNo))', status: 'rejected' },
    { dossierNo: '((dossierNo))', status: 'resolved' },
  ],
  'temporary-password': [{ loginName: '((loginName))', password: '((password))' }],
  'account-approved': [{ fullName: '((fullName))', loginName: '((loginName))', password: '((password))' }],
  'account-rejected': [{ fullName: '((fullName))', reason: '((reason))' }],
  'registration-received': [{ registrationId: '((registrationId))', deadline: '2020-12-04' }],
  'registration-reminder': [{ registrationId: '((registrationId))', deadline: '2020-12-04' }],
  'registration-deleted': [{ registrationId: '((registrationId))', deadline: '2020-12-04' }],
  otp: [
    { code: '((code))', purpose: 'password-change', expiresAt: '2024-05-02T09:15:00+07:00' },
    { code: '((code))', purpose: 'device-login', expiresAt: '2024-05-02T09:15:00+07:00' },
  ],
};

/** Renders one central template in Vietnamese (before transliteration, as a province would write it). */
export function renderCentral<K extends TemplateId>(kind: K, data: TemplateData<K>): string {
  return (templates[kind] as (d: TemplateData<K>) => string)(data);
}

const PLACEHOLDER = /\(\([^()]*\)\)/g;
const VALUE = '\u0000';
// Read before transliteration: "đồng" (the currency) and "đóng" (to pay in) are both "dong" without diacritics.
const CURRENCY_AFTER_VALUE = /(\d|\)\))\s*(?:đồng|vnđ|vnd|đ|d)(?![\p{L}\p{M}])/giu;
const SALUTATIONS = new Set(['ong', 'ba']);

/** The words of a text, values and salutations removed (steps 2 of the doc comment). */
export function comparableWords(text: string): string[] {
  // A placeholder becomes a digit, so that it is a value like any number.
  const plain = transliterate(text.normalize('NFC').replace(CURRENCY_AFTER_VALUE, '$1').replace(PLACEHOLDER, ' 0 ')).toLowerCase();
  const tokens: string[] = [];
  for (const chunk of plain.split(/\s+/)) {
    if (chunk === '') continue;
    if (/\d/.test(chunk)) {
      tokens.push(VALUE);
      continue;
    }
    for (const word of chunk.split(/[^a-z]+/)) if (word !== '') tokens.push(word);
  }
  return tokens.filter((t) => t !== VALUE && !SALUTATIONS.has(t));
}

function shingles(words: readonly string[]): Set<string> {
  if (words.length < SHINGLE) return new Set(words.length > 0 ? [words.join(' ')] : []);
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE <= words.length; i += 1) out.add(words.slice(i, i + SHINGLE).join(' '));
  return out;
}

let central: ReadonlyArray<{ kind: TemplateId; variants: ReadonlyArray<Set<string>> }> | undefined;

/** The central kinds' shingle sets, computed once (the templates are constants). */
function centralShingles(): NonNullable<typeof central> {
  central ??= (Object.keys(CENTRAL_SAMPLES) as TemplateId[]).map((kind) => ({
    kind,
    variants: (CENTRAL_SAMPLES[kind] as readonly TemplateData<typeof kind>[]).map((data) => shingles(comparableWords(renderCentral(kind, data)))),
  }));
  return central;
}

/** Every central kind's score against the proposal, best first. */
export function scoreAgainstCentral(template: string): KindScore[] {
  const proposal = shingles(comparableWords(template));
  const scores = centralShingles().map(({ kind, variants }) => {
    let best: KindScore = { kind, score: 0, shared: 0 };
    for (const variant of variants) {
      if (variant.size === 0) continue;
      let shared = 0;
      for (const s of variant) if (proposal.has(s)) shared += 1;
      const score = shared / variant.size;
      if (score > best.score || (score === best.score && shared > best.shared)) best = { kind, score, shared };
    }
    return best;
  });
  return scores.sort((a, b) => b.score - a.score || b.shared - a.shared);
}

/** The verdict on a province's template (step 5 of the doc comment). */
export function checkCentralCopy(template: string): CentralCopyVerdict {
  const scores = scoreAgainstCentral(template);
  const copies = scores.filter((s) => s.score >= COPY_THRESHOLD).sort((a, b) => b.shared - a.shared || b.score - a.score);
  const named = copies[0];
  if (named) return { copy: true, kind: named.kind, score: named.score };
  const closest = scores[0] as KindScore;
  return { copy: false, closest: { kind: closest.kind, score: closest.score } };
}
