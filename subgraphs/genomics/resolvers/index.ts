import { ErrorCode, HubError } from '../../../lib/errors';
import { normaliseVariant, parseGenotype, parseVariantId } from '../domain/variant';
import type { GenomicsContext } from '../context';
import type { NewVariantCall } from '../repository/variant-repository';
import { patientNotFound } from '../ingest/ingest-vcf';
import { Readable } from 'node:stream';

interface VariantCallInput {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  genotype?: string | null;
}

export const MAX_CALLS_PER_REQUEST = 10_000;

const Query = {
  variant(_: unknown, args: { id: string }, ctx: GenomicsContext) {
    parseVariantId(args.id);
    return ctx.loaders.variant.load(args.id);
  },
};

const Mutation = {
  async addVariantCalls(_: unknown, args: { patientId: string; calls: VariantCallInput[] }, ctx: GenomicsContext) {
    if (args.calls.length > MAX_CALLS_PER_REQUEST) {
      throw new HubError(
        ErrorCode.BAD_USER_INPUT,
        `calls: ${args.calls.length} calls exceed ${MAX_CALLS_PER_REQUEST} per request; use ingestVcf for whole files`,
        { field: 'calls' },
      );
    }
    // Validate everything first: one bad call rejects the request and nothing is written.
    const calls: NewVariantCall[] = args.calls.map((call, index) => ({
      ...normaliseVariant(call, `calls[${index}]`),
      ...parseGenotype(call.genotype ?? '0/1', `calls[${index}] genotype`),
    }));
    if (!(await ctx.loaders.patientExists.load(args.patientId))) throw patientNotFound(args.patientId);
    return ctx.repository.addVariantCalls(args.patientId, calls);
  },

  async ingestVcf(_: unknown, args: { patientId: string; vcf: string; sample?: string | null; assumeBuild?: 'GRCh38' | null }, ctx: GenomicsContext) {
    if (!(await ctx.loaders.patientExists.load(args.patientId))) throw patientNotFound(args.patientId);
    return ctx.vcf.ingest(args.patientId, Readable.from([Buffer.from(args.vcf, 'utf8')]), { sample: args.sample, assumeBuild: args.assumeBuild });
  },
};

const CARRIED = new Set(['HETEROZYGOUS', 'HOMOZYGOUS_ALTERNATE', 'HEMIZYGOUS']);

const Patient = {
  variantCalls: (patient: { id: string }, _: unknown, ctx: GenomicsContext) => ctx.loaders.callsByPatient.load(patient.id),
  async variants(patient: { id: string }, _: unknown, ctx: GenomicsContext) {
    const calls = await ctx.loaders.callsByPatient.load(patient.id);
    return calls.filter((c) => CARRIED.has(c.zygosity)).map((c) => c.variant);
  },
};

const Variant = {
  async __resolveReference(ref: { id: string }, ctx: GenomicsContext) {
    return (await ctx.loaders.variant.load(ref.id)) ?? null;
  },
};

export const resolvers = { Query, Mutation, Patient, Variant };
