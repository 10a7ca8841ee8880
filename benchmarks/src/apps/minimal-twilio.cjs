// The same minimal app with the official client: fetch one user. Twilio's URLs are sent to the loopback server
// (TWILIO.md: a RequestClient subclass). With BENCH_LOAD_ONLY=1 it stops before sending anything.
const http = require("node:http")
const twilio = require("twilio")

class LoopbackRequestClient extends twilio.RequestClient {
  constructor() {
    super({ keepAlive: true })
    this.axios.defaults.httpAgent = new http.Agent({ keepAlive: true })
  }
  request(opts) {
    return super.request({
      ...opts,
      uri: opts.uri.replace("https://chat.twilio.com", process.env.TWILIO_CHAT_BASE_URL)
    })
  }
}

if (process.env.BENCH_LOAD_ONLY !== "1") {
  const client = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN, {
    httpClient: new LoopbackRequestClient()
  })
  client.chat.v2.services(process.env.BENCH_SERVICE).users(process.env.BENCH_USER).fetch().then((user) => {
    process.stdout.write(user.identity + "\n")
    process.exit(0)
  }, (error) => {
    console.error(error)
    process.exit(1)
  })
}
