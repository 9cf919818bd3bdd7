import { ROLES } from '@cxr-audit/core'
import {
  addUser,
  assignAudit,
  findUserById,
  listActivity,
  listAssignments,
  listUsers,
  setPassword,
  unassignAudit,
  updateUser,
  type UserRow,
} from '@cxr-audit/store'
import type { FastifyPluginAsync } from 'fastify'
import type {
  ActivityDto,
  AssignmentDto,
  CreateUserBody,
  UpdateUserBody,
  UserDto,
} from '@cxr-audit/contract'
import type { Workbench } from '../app.ts'
import { actorOf } from '../auth/scope.ts'
import { ApiError } from '../errors.ts'
import { idParams } from './params.ts'

const toUserDto = (u: UserRow): UserDto => ({
  id: u.id,
  name: u.name,
  role: u.role,
  disabled: u.disabled,
  createdAt: u.createdAt,
})

const password = { type: 'string', minLength: 8, maxLength: 1024 } as const
const role = { enum: [...ROLES] } as const

const pairParams = {
  type: 'object',
  required: ['id', 'userId'],
  properties: { id: idParams.properties.id, userId: idParams.properties.id },
} as const

async function userById(wb: Workbench, id: number): Promise<UserRow> {
  const u = await findUserById(wb.store.db, id)
  if (u === undefined) throw new ApiError(404, 'not-found', `no user ${id}`)
  return u
}

/** Users, assignments and the activity log: the admin's [A3][A5][A9]. */
export function userRoutes(wb: Workbench): FastifyPluginAsync {
  const admin = { access: 'admin' } as const
  return async (app) => {
    app.get('/api/users', { config: admin }, async () => ({
      users: (await listUsers(wb.store.db)).map(toUserDto),
    }))

    app.post<{ Body: CreateUserBody }>(
      '/api/users',
      {
        config: admin,
        schema: {
          body: {
            type: 'object',
            required: ['name', 'role', 'password'],
            additionalProperties: false,
            properties: { name: { type: 'string', minLength: 1, maxLength: 60 }, role, password },
          },
        },
      },
      async (request, reply) => {
        const u = await addUser(wb.store, { ...request.body, by: actorOf(request) })
        return reply.code(201).send({ user: toUserDto(u) })
      },
    )

    app.patch<{ Params: { id: number }; Body: UpdateUserBody }>(
      '/api/users/:id',
      {
        config: admin,
        schema: {
          params: idParams,
          body: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: { role, disabled: { type: 'boolean' }, password },
          },
        },
      },
      async (request) => {
        const u = await userById(wb, request.params.id)
        const b = request.body
        const by = actorOf(request)
        if (
          request.session?.user.id === u.id &&
          (b.disabled === true || (b.role ?? 'admin') !== 'admin')
        )
          throw new ApiError(400, 'bad-input', 'an admin cannot disable or demote themself')
        if (b.password !== undefined)
          await setPassword(wb.store, { name: u.name, password: b.password, by })
        const updated =
          b.role === undefined && b.disabled === undefined
            ? u
            : await updateUser(wb.store, { name: u.name, role: b.role, disabled: b.disabled, by })
        return { user: toUserDto(updated) }
      },
    )

    app.get<{ Params: { id: number } }>(
      '/api/audits/:id/assignments',
      { config: admin, schema: { params: idParams } },
      async (request): Promise<{ assignments: AssignmentDto[] }> => {
        const audit = await wb.audit(request.params.id)
        return { assignments: await listAssignments(wb.store.db, audit.id) }
      },
    )

    app.put<{ Params: { id: number; userId: number } }>(
      '/api/audits/:id/assignments/:userId',
      { config: admin, schema: { params: pairParams } },
      async (request) => {
        const audit = await wb.audit(request.params.id)
        await userById(wb, request.params.userId)
        await assignAudit(wb.store, {
          auditId: audit.id,
          userId: request.params.userId,
          by: actorOf(request),
        })
        return { assignments: await listAssignments(wb.store.db, audit.id) }
      },
    )

    app.delete<{ Params: { id: number; userId: number } }>(
      '/api/audits/:id/assignments/:userId',
      { config: admin, schema: { params: pairParams } },
      async (request) => {
        const audit = await wb.audit(request.params.id)
        await unassignAudit(wb.store, {
          auditId: audit.id,
          userId: request.params.userId,
          by: actorOf(request),
        })
        return { assignments: await listAssignments(wb.store.db, audit.id) }
      },
    )

    app.get<{ Querystring: { user?: string; since?: string } }>(
      '/api/activity',
      {
        config: admin,
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              user: { type: 'string', minLength: 1, maxLength: 200 },
              since: { type: 'string', minLength: 1, maxLength: 40 },
            },
          },
        },
      },
      async (request): Promise<{ entries: ActivityDto[] }> => ({
        entries: await listActivity(wb.store.db, request.query),
      }),
    )
  }
}
