/** `UndiciHttpClient`'s `cancellable`, held to the shared contract (`test-support/cancellable-contract.ts`). */
import * as Contract from "../../../test-support/cancellable-contract.js"
import { cancellable } from "../src/internal/cancellable.js"

Contract.cancellableContract("UndiciHttpClient", cancellable)
