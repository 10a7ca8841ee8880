import { ChatTest } from "../src/index.js"
import { conversationsContractSuite } from "./conversations-contract.js"

conversationsContractSuite("ConversationsV1UserApi over ChatTest.layer (in memory)", ChatTest.layer, false)
