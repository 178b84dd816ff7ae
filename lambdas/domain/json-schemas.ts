/** JSON Schema (draft 2020-12) for each detail-type's `detail`, generated from the zod schemas. */
import { z } from 'zod';
import { ALL_DETAIL_TYPES, EVENT_BUS_NAME, NOTIFY_SOURCE, NotifyDetailType, SOURCE_OF, type DetailType } from './catalogue.ts';
import { detailSchemas } from './schemas.ts';
import { notificationStatusChangedSchema } from './status-events.ts';

/** The system's own events with a published contract, for the producers that subscribe to them. */
const PUBLISHED_SCHEMAS = { [NotifyDetailType.NotificationStatusChanged]: notificationStatusChangedSchema } as const;
type PublishedDetailType = keyof typeof PUBLISHED_SCHEMAS;

export function jsonSchemas(): Record<DetailType | PublishedDetailType, Record<string, unknown>> {
  const upstream = ALL_DETAIL_TYPES.map((detailType) => [
    detailType,
    {
      $id: `urn:bhxh-notify:event:${detailType}`,
      title: `${detailType} detail`,
      description: `The "detail" of a ${detailType} event: PutEvents on bus "${EVENT_BUS_NAME}" with Source "${SOURCE_OF[detailType]}" and DetailType "${detailType}". Free-text fields must transliterate to GSM-7; conditional rules (e.g. required when valid is true) are checked on arrival.`,
      ...z.toJSONSchema(detailSchemas[detailType], { io: 'input', unrepresentable: 'any' }),
    },
  ]);
  const own = Object.entries(PUBLISHED_SCHEMAS).map(([detailType, schema]) => [
    detailType,
    {
      $id: `urn:bhxh-notify:event:${detailType}`,
      title: `${detailType} detail`,
      ...z.toJSONSchema(schema, { io: 'output' }),
      description: `The "detail" of a ${detailType} event, published by BHXH Notify on bus "${EVENT_BUS_NAME}" with Source "${NOTIFY_SOURCE}": a producer subscribes with a rule of its own on that bus.`,
    },
  ]);
  return Object.fromEntries([...upstream, ...own]) as unknown as Record<DetailType | PublishedDetailType, Record<string, unknown>>;
}
