// A TCP port for a child process to listen on, free when asked. Chosen below Linux's
// ephemeral range (32768–60999): a port picked from inside it can be held at any moment by
// one of the many outgoing connections a test run makes (PostgreSQL, SMTP), which showed
// up as EADDRINUSE under load. Random, so parallel test files rarely try the same one.
import { createServer } from 'node:net'

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    if (await canListen(port)) return port
  }
  throw new Error('no free port between 20000 and 31999')
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}
