/**
 * Building one API's operations from options and the context's `HttpClient`: what `make`, `layer` and
 * `layerConfig` of both services share.
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type { ChatV2UserApiOptions } from "../TwilioConfig.js"
import type { Api, Page } from "./api.js"
import { optionsFromConfig, resolveOptions } from "./config.js"
import * as Operations from "./operations.js"

/** The operations of `api` over the options, with the `HttpClient` (and fetch `RequestInit`) of the context. */
export const make = <User, P extends Page<User>>(
  api: Api<User, P>,
  options: ChatV2UserApiOptions
): Effect.Effect<Operations.Operations<User, P>, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const resolved = yield* resolveOptions(options, {}, api)
    const client = yield* HttpClient.HttpClient
    const requestInit = Option.getOrElse(yield* Effect.serviceOption(FetchHttpClient.RequestInit), () => ({}))
    return Operations.make(Operations.makeEngine(resolved, client, requestInit), api)
  })

/** As `make`, with the options read from the `TWILIO_*` variables, `overrides` winning. */
export const fromConfig = <User, P extends Page<User>>(
  api: Api<User, P>,
  overrides: ChatV2UserApiOptions | undefined
): Effect.Effect<Operations.Operations<User, P>, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.flatMap(optionsFromConfig(overrides, api), (options) => make(api, options))

/**
 * The static constructors of a service's `Tag` over `api`: `make`, `layer`, `layerConfig` and `withAttributes`.
 * `tag` is read when a layer is built (the class that holds these statics is still being defined when they are
 * made); `service` only states, for the compiler, that the operations are the public service.
 */
export const constructors = <
  Id,
  S,
  User extends { readonly sid: string; readonly attributes: unknown },
  P extends Page<User>
>(
  api: Api<User, P>,
  tag: () => Context.Tag<Id, S>,
  service: (operations: Operations.Operations<User, P>) => S
) => {
  const makeService = (
    options: ChatV2UserApiOptions
  ): Effect.Effect<S, ConfigError.ConfigError, HttpClient.HttpClient> => Effect.map(make(api, options), service)
  return {
    make: makeService,
    layer: (options: ChatV2UserApiOptions): Layer.Layer<Id, ConfigError.ConfigError, HttpClient.HttpClient> =>
      Layer.effect(tag(), makeService(options)),
    layerConfig: (options?: ChatV2UserApiOptions): Layer.Layer<Id, ConfigError.ConfigError, HttpClient.HttpClient> =>
      Layer.effect(tag(), Effect.map(fromConfig(api, options), service))
  }
}
