import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ORTHANC = '/usr/sbin/Orthanc'
const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so'

/** A throwaway Orthanc with its DICOMweb plugin, for one test file. */
export interface TestOrthanc {
  /** Orthanc's REST root, e.g. http://127.0.0.1:41234 */
  readonly rest: string
  /** The DICOMweb base URL (REST root + /dicom-web). */
  readonly dicomweb: string
  readonly user: string
  readonly password: string
  /** The environment that gives cxr-audit these credentials. */
  readonly env: Record<string, string>
  /** The server's process id while it runs (to read its CPU time in benchmarks). */
  pid(): number | undefined
  /** Stores a DICOM file through the REST API; returns Orthanc's instance id. */
  upload(bytes: Uint8Array): Promise<string>
  /** Deletes an instance by SOP Instance UID (REST API). */
  remove(sopInstanceUid: string): Promise<void>
  /** Stops the server (SIGTERM, waits for the exit); the storage stays for `start`. */
  stop(): Promise<void>
  /** Starts it again on the same ports and storage. */
  start(): Promise<void>
  /** Stops it and removes its folder. */
  dispose(): Promise<void>
}

/**
 * Starts Debian's Orthanc (`apt-get install orthanc orthanc-dicomweb`; `.ci/run` does) with a
 * throwaway configuration and storage in a temp folder: private free ports, remote access off
 * (Orthanc answers loopback clients only), the DICOM listener off, HTTP basic authentication
 * on with one user, so that a wrong password is really refused. Fails loudly, never skips, when
 * Orthanc or its DICOMweb plugin is missing.
 */
export async function startOrthanc(): Promise<TestOrthanc> {
  for (const [file, pkg] of [
    [ORTHANC, 'orthanc'],
    [DICOMWEB_PLUGIN, 'orthanc-dicomweb'],
  ] as const)
    if (!existsSync(file))
      throw new Error(`${file} is missing: apt-get install ${pkg} (bash .ci/run does)`)
  const dir = mkdtempSync(join(tmpdir(), 'cxr-audit-orthanc-'))
  const storage = join(dir, 'storage')
  mkdirSync(storage)
  const port = await freePort()
  const user = 'cxr'
  const password = `pw-${port}`
  const config = join(dir, 'orthanc.json')
  writeFileSync(
    config,
    JSON.stringify({
      Name: 'cxr-audit-test',
      StorageDirectory: storage,
      IndexDirectory: storage,
      HttpPort: port,
      DicomPort: await freePort(),
      DicomServerEnabled: false,
      RemoteAccessAllowed: false,
      AuthenticationEnabled: true,
      RegisteredUsers: { [user]: password },
      Plugins: [DICOMWEB_PLUGIN],
      DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: false },
      StorageCompression: false,
      HttpCompressionEnabled: false,
      KeepAlive: true,
    }),
  )
  const rest = `http://127.0.0.1:${port}`
  const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
  let child: ChildProcess | undefined
  // every server this helper started, so that none outlives the test file
  const spawned = new Set<ChildProcess>()
  let log = ''
  const start = async (): Promise<void> => {
    if (child !== undefined && child.exitCode === null) return
    const proc = spawn(ORTHANC, [config], { stdio: ['ignore', 'ignore', 'pipe'] })
    child = proc
    spawned.add(proc)
    proc.once('exit', () => spawned.delete(proc))
    proc.stderr?.on('data', (d: Buffer) => {
      log = (log + d.toString()).slice(-4000)
    })
    const deadline = Date.now() + 20_000
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`Orthanc exited at start:\n${log}`)
      const ok = await fetch(`${rest}/system`, { headers: { authorization: auth } })
        .then((r) => r.ok)
        .catch(() => false)
      if (ok) return
      if (Date.now() > deadline) throw new Error(`Orthanc did not start in 20 s:\n${log}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  const stop = async (): Promise<void> => {
    const proc = child
    child = undefined
    if (proc === undefined || proc.exitCode !== null) return
    const exited = new Promise((resolve) => proc.once('exit', resolve))
    proc.kill('SIGTERM')
    await exited
  }
  await start()
  const request = async (method: string, path: string, body?: Uint8Array): Promise<unknown> => {
    const r = await fetch(`${rest}${path}`, {
      method,
      headers: { authorization: auth, ...(body ? { 'content-type': 'application/dicom' } : {}) },
      ...(body ? { body: body as Uint8Array<ArrayBuffer> } : {}),
    })
    const text = await r.text()
    if (!r.ok) throw new Error(`Orthanc ${method} ${path}: HTTP ${r.status} ${text}`)
    return text === '' ? null : (JSON.parse(text) as unknown)
  }
  process.on('exit', () => {
    for (const p of spawned) p.kill('SIGKILL')
  })
  return {
    rest,
    dicomweb: `${rest}/dicom-web`,
    user,
    password,
    env: { CXR_AUDIT_DICOMWEB_USER: user, CXR_AUDIT_DICOMWEB_PASSWORD: password },
    pid: () => (child?.exitCode === null ? child.pid : undefined),
    async upload(bytes) {
      const r = (await request('POST', '/instances', bytes)) as { ID: string; Status: string }
      return r.ID
    },
    async remove(sop) {
      const ids = (await request('POST', '/tools/lookup', Buffer.from(sop))) as { ID: string }[]
      for (const { ID } of ids) await request('DELETE', `/instances/${ID}`)
    },
    stop,
    start,
    async dispose() {
      await stop()
      for (const p of spawned) p.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      s.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}
