import { z } from 'zod'

// The ladder editor's form (client-safe). Rows whose kind is empty are dropped: that is how a
// step is removed, and how the blank rows at the end stay unused.

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)
const text = (max: number) =>
  z.preprocess(blank, z.string().trim().max(max, { error: 'errors.tooLong' }).optional())

export const MAX_LADDER_STEPS = 8

export const LadderStepSchema = z
  .object({
    id: z.preprocess(blank, z.uuid().optional()),
    kind: z.preprocess(blank, z.enum(['share', 'campaign', 'donate']).optional()),
    target: z.preprocess(blank, z.uuid({ error: 'ladders:editor.errors.target' }).optional()),
    titleEn: text(200),
    textEn: text(2000),
    titleEs: text(200),
    textEs: text(2000),
  })
  .superRefine((step, ctx) => {
    if (!step.kind) return
    if (step.kind === 'campaign' && !step.target) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'ladders:editor.errors.target' })
    }
    if (!step.titleEn) {
      ctx.addIssue({ code: 'custom', path: ['titleEn'], message: 'ladders:editor.errors.title' })
    }
  })

export const LadderSchema = z.object({
  followUpHours: z.coerce
    .number({ error: 'errors.invalid' })
    .int({ error: 'errors.invalid' })
    .min(1, { error: 'errors.invalid' })
    .max(720, { error: 'errors.invalid' }),
  steps: z
    .array(LadderStepSchema)
    .max(MAX_LADDER_STEPS + 2)
    .default([]),
})

export type LadderInput = z.infer<typeof LadderSchema>
