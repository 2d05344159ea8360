// A throwaway SMTP server for the benchmark, run in a process of its own so the sink's
// parsing does not eat the CPU of the process being measured. It accepts every message,
// discards the body and counts it. Talks to its parent over IPC: sends { port } once
// listening; answers { type: 'count' } with { count, bytes }; stops on { type: 'stop' }.
import { SMTPServer } from 'smtp-server'

let count = 0
let bytes = 0

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  // Unlimited: the benchmark sends as many as it likes; the logger is off for speed.
  maxClients: 1000,
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length
    })
    stream.on('end', () => {
      count++
      callback()
    })
  },
})

server.on('error', (err) => {
  console.error(`smtp-sink: ${err.message}`)
})

server.listen(0, '127.0.0.1', () => {
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  process.send?.({ type: 'ready', port })
})

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'count') process.send?.({ type: 'count', count, bytes })
  if (msg.type === 'stop') server.close(() => process.exit(0))
})
// The parent died: nothing left to sink for.
process.on('disconnect', () => process.exit(0))
