// Starts the SMTP sink (smtp-sink.ts) as a child process and talks to it over IPC.
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export type Sink = {
  url: string
  pid: number
  /** Messages and bytes the sink has accepted so far. */
  count(): Promise<{ count: number; bytes: number }>
  stop(): Promise<void>
}

const SINK = fileURLToPath(new URL('./smtp-sink.ts', import.meta.url))

export async function startSink(): Promise<Sink> {
  const child: ChildProcess = fork(SINK, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the SMTP sink exited with code ${code} before listening`)))
    child.on('message', (m: { type: string; port?: number }) => {
      if (m.type === 'ready') resolve(m.port!)
    })
  })
  child.removeAllListeners('exit')
  return {
    url: `smtp://127.0.0.1:${port}`,
    pid: child.pid!,
    count: () =>
      new Promise((resolve) => {
        const onMessage = (m: { type: string; count?: number; bytes?: number }) => {
          if (m.type !== 'count') return
          child.off('message', onMessage)
          resolve({ count: m.count!, bytes: m.bytes! })
        }
        child.on('message', onMessage)
        child.send({ type: 'count' })
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.send({ type: 'stop' })
        // A sink that does not close in time is killed (by its pid, it is ours).
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref()
      }),
  }
}
