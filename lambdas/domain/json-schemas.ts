/** JSON Schema (draft 2020-12) for each detail-type's `detail`, generated from the zod schemas. */
import { z } from 'zod';
import { ALL_DETAIL_TYPES, EVENT_BUS_NAME, SOURCE_OF, type DetailType } from './catalogue.ts';
import { detailSchemas } from './schemas.ts';

export function jsonSchemas(): Record<DetailType, Record<string, unknown>> {
  return Object.fromEntries(
    ALL_DETAIL_TYPES.map((detailType) => [
      detailType,
      {
        $id: `urn:bhxh-notify:event:${detailType}`,
        title: `${detailType} detail`,
        description: `The "detail" of a ${detailType} event: PutEvents on bus "${EVENT_BUS_NAME}" with Source "${SOURCE_OF[detailType]}" and DetailType "${detailType}". Free-text fields must transliterate to GSM-7; conditional rules (e.g. required when valid is true) are checked on arrival.`,
        ...z.toJSONSchema(detailSchemas[detailType], { io: 'input', unrepresentable: 'any' }),
      },
    ]),
  ) as unknown as Record<DetailType, Record<string, unknown>>;
}
