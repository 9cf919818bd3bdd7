import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/** scrypt's cost: N = 2^15, r = 8, p = 1 (about 32 MiB and 50-100 ms per hash on this machine). */
const COST = { N: 32768, r: 8, p: 1 } as const
const KEY_LENGTH = 32

function derive(password: string, salt: Buffer, o: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { ...o, maxmem: 128 * o.N! * o.r! * 2 },
      (e, key) => (e === null ? resolve(key) : reject(e)),
    ),
  )
}

/** `scrypt$N$r$p$salt$key` (base64url): the parameters travel with the hash, so they may grow. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, COST)
  return [
    'scrypt',
    COST.N,
    COST.r,
    COST.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$')
}

/** Whether the password matches the stored hash, in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [tag, n, r, p, salt, key] = stored.split('$')
  if (tag !== 'scrypt' || salt === undefined || key === undefined) return false
  const expected = Buffer.from(key, 'base64url')
  const got = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  })
  return got.length === expected.length && timingSafeEqual(got, expected)
}

/** A hash of a password nobody has: a login for an unknown name costs as much as a real one. */
export const DECOY_HASH = `scrypt$${COST.N}$${COST.r}$${COST.p}$AAAAAAAAAAAAAAAAAAAAAA$${Buffer.alloc(KEY_LENGTH).toString('base64url')}`
