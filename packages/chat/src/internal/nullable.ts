/**
 * The one shape of an optional field in Twilio's answers: `null` when the body has `null` or leaves the key out.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/** A field read from `key`, `null` when the body has `null` or no such key. */
export const nullable = <S extends Schema.Schema.Any>(schema: S, key: string) =>
  Schema.optionalWith(Schema.NullOr(schema), { default: () => null }).pipe(Schema.fromKey(key))
