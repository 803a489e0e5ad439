import type { PatientContext } from '../context';
import type { PatientRecord } from '../repository/patient-repository';

export const Patient = {
  __resolveReference: (ref: { id: string }, ctx: PatientContext) => ctx.loaders.patient.load(ref.id),
  identifiers: (patient: PatientRecord, _: unknown, ctx: PatientContext) => ctx.loaders.identifiers.load(patient.id),
  async observations(patient: PatientRecord, args: { code?: string | null }, ctx: PatientContext) {
    const all = await ctx.loaders.observations.load(patient.id);
    return args.code ? all.filter((o) => o.code === args.code) : all;
  },
};
