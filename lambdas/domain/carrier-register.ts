/**
 * The carriers' template register: brand-name SMS in Vietnam must match templates registered with the carriers, and
 * since August 2024 carriers ask that the brand appear in the text. One row per kind: the template as sent (without
 * diacritics) with its placeholders marked `((name))`, how wide each placeholder can be (from the event schemas), the
 * parts at that width with and without the brand (bhxh:brandInText), a sample, and whether the brand is in the text.
 * A kind that can exceed 3 parts is shown as such, never left out. Pure: scripts/templates.ts writes the file.
 */
import { KIND_DESCRIPTIONS, type KindDescription } from './carrier-kinds.ts';
import type { Shown, Slot } from './carrier-slots.ts';
import { csvCell } from './form-01xn.ts';
import { BRAND_PREFIX, MAX_SEGMENTS, TEMPLATE_IDS, templates, type TemplateData, type TemplateId } from './templates.ts';
import { measureSms } from './text/gsm7.ts';
import { transliterate } from './text/transliterate.ts';

export interface RegisterRow {
  kind: TemplateId;
  /** As sent (the brand first, where the deployment puts it in the text), placeholders marked `((name))`. */
  template: string;
  /** Each placeholder: its widest, and how that is known. */
  placeholders: string;
  /** Septets and parts with every placeholder at its widest (free text in plain letters, one septet each). */
  maxSeptets: number;
  maxParts: number;
  maxPartsBranded: number;
  /** Parts the brand adds at the widest. */
  brandExtraParts: number;
  /** Over MAX_SEGMENTS at the widest: the text the schema lets through cannot be sent whole. */
  overLimit: boolean;
  overLimitBranded: boolean;
  sample: string;
  sampleParts: number;
  /** The deployment puts the brand in this kind's text (bhxh:brandInText), or the template names it already. */
  brandInText: boolean;
}

export const REGISTER_HEADER = [
  'kind',
  'template',
  'placeholders',
  'max_septets',
  'max_parts',
  'max_parts_with_brand',
  'brand_extra_parts',
  'over_3_parts',
  'over_3_parts_with_brand',
  'sample',
  'sample_parts',
  'brand_in_text',
  'width_note',
] as const;

/** Said in every row: what "at most" means for free text. */
export const WIDTH_NOTE =
  'free text counted at its schema maximum in plain letters (1 septet each); GSM-7 extension characters ([]{}|~^€\\) cost 2 septets, "…" is sent as "..."; dates, months and times are fixed width';

type AnyDescription = KindDescription<TemplateId> & { slots: Readonly<Record<string, Slot>> };

/** A kind's description; a kind without one is an error naming it (the register is never built by guesswork). */
export function describe(kind: TemplateId): AnyDescription {
  const description = (KIND_DESCRIPTIONS as Partial<Record<string, AnyDescription>>)[kind];
  if (!description) throw new Error(`the template register has no description of kind ${kind}: add it to lambdas/domain/carrier-kinds.ts`);
  return description;
}

/** Renders as sent, without the length check (renderSms refuses over 3 parts; the register must show them). */
function sent(kind: TemplateId, data: unknown, branded: boolean): string {
  return `${branded ? BRAND_PREFIX : ''}${transliterate((templates[kind] as (d: unknown) => string)(data))}`;
}

/** Every combination of the choices' values (a salutation, a scheme…) with the other slots at their widest. */
function widestCandidates(slots: Readonly<Record<string, Slot>>): Array<Record<string, unknown>> {
  let candidates: Array<Record<string, unknown>> = [{}];
  for (const [name, slot] of Object.entries(slots)) {
    const values = slot.choices ?? [slot.widest];
    candidates = candidates.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  }
  return candidates;
}

/** The widest the kind renders to (septets, parts), with or without the brand. */
export function widestSize(kind: TemplateId, branded: boolean): { septets: number; segments: number } {
  const description = describe(kind);
  const candidates = description.widest ? [description.widest(branded)] : widestCandidates(description.slots);
  return candidates
    .map((data) => measureSms(sent(kind, data, branded)))
    .reduce((a, b) => (b.septets > a.septets || b.segments > a.segments ? b : a), { septets: 0, segments: 0, characters: 0 });
}

/** The template as sent, with `((name))` where each placeholder goes. */
export function markedTemplate(kind: TemplateId): string {
  const slots = describe(kind).slots;
  const data: Record<string, unknown> = {};
  const shows: Shown[] = [];
  Object.entries(slots).forEach(([name, slot], i) => {
    const marked = slot.marker(name, i);
    data[name] = marked.value;
    shows.push(...marked.shows);
  });
  return shows.reduce((text, [shown, marker]) => text.split(shown).join(marker), sent(kind, data, false));
}

const describeSlots = (slots: Readonly<Record<string, Slot>>) =>
  Object.entries(slots)
    .map(([name, slot]) => `${name}: ${slot.width > 0 ? `${slot.width} chars; ` : ''}${slot.source}`)
    .join(' | ');

export type Samples = { readonly [K in TemplateId]: TemplateData<K> };

export function registerRow(kind: TemplateId, sample: unknown, branded = false): RegisterRow {
  const plain = widestSize(kind, false);
  const withBrand = widestSize(kind, true);
  const sampleText = sent(kind, sample, branded);
  return {
    kind,
    template: `${branded ? BRAND_PREFIX : ''}${markedTemplate(kind)}`,
    placeholders: describeSlots(describe(kind).slots),
    maxSeptets: plain.septets,
    maxParts: plain.segments,
    maxPartsBranded: withBrand.segments,
    brandExtraParts: withBrand.segments - plain.segments,
    overLimit: plain.segments > MAX_SEGMENTS,
    overLimitBranded: withBrand.segments > MAX_SEGMENTS,
    sample: sampleText,
    sampleParts: measureSms(sampleText).segments,
    brandInText: branded || sampleText.includes(BRAND_PREFIX.trim().replace(/:$/, '')),
  };
}

/** One row per kind of TEMPLATE_IDS, samples from `samples` (the seeds' examples), branded per bhxh:brandInText. */
export function carrierRegister(samples: Samples, brandedKinds: readonly string[] = []): RegisterRow[] {
  return TEMPLATE_IDS.map((kind) => registerRow(kind, samples[kind], brandedKinds.includes(kind)));
}

/** UTF-8 with a BOM and CRLF, every cell through csvCell (as form 01-XN). */
export function registerCsv(rows: readonly RegisterRow[]): string {
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const lines = rows.map((r) =>
    [
      r.kind,
      r.template,
      r.placeholders,
      r.maxSeptets,
      r.maxParts,
      r.maxPartsBranded,
      r.brandExtraParts,
      yes(r.overLimit),
      yes(r.overLimitBranded),
      r.sample,
      r.sampleParts,
      yes(r.brandInText),
      WIDTH_NOTE,
    ]
      .map(csvCell)
      .join(','),
  );
  return `\uFEFF${[REGISTER_HEADER.join(','), ...lines].join('\r\n')}\r\n`;
}

/**
 * bhxh:brandInText checked at synth: a kind whose SMS with the brand would be over 3 parts at the schema maxima,
 * one line each naming it; empty when every branded kind fits.
 */
export function brandedKindProblems(brandedKinds: readonly TemplateId[]): string[] {
  return brandedKinds.flatMap((kind) => {
    const { segments } = widestSize(kind, true);
    return segments > MAX_SEGMENTS
      ? [`${kind} with the brand is ${segments} parts at the schema maxima (at most ${MAX_SEGMENTS}; without the brand ${widestSize(kind, false).segments})`]
      : [];
  });
}
