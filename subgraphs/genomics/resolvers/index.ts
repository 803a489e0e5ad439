import { ErrorCode, HubError } from '../../../lib/errors';
import { normaliseVariant, parseGenotype, parseVariantId } from '../domain/variant';
import type { GenomicsContext } from '../context';
import type { NewVariantCall, VariantCallRecord, VariantFilter } from '../repository/variant-repository';
import { patientNotFound } from '../ingest/ingest-vcf';
import { callPharmacogenomics } from '../domain/pharmacogenomics';
import { Readable } from 'node:stream';
import { minimumCellFor, protectDimension } from '../../../lib/disclosure-control';

interface VariantCallInput {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  genotype?: string | null;
}

export const MAX_CALLS_PER_REQUEST = 10_000;
/** Query.carrierPatientIds: at most this many patients (a cohort filter beyond that is refused). */
export const MAX_CARRIERS = 100_000;
/** Query.cohortGenes: at most this many genes (the hub annotates fewer). */
export const MAX_COHORT_GENES = 100;

/**
 * A gene's carriers as this caller may see them. Carriers and non-carriers among the patients counted
 * (`population`; null: every patient, for callers without a minimum) are one dimension of a total the
 * caller can read (Query.cohort's count for the same filter), so a gene carried by all but a few of
 * them is hidden too (lib/disclosure-control.ts).
 */
function shownCarriers(carriers: number, population: readonly string[] | null, minCell: number): number | null {
  const [shown] = protectDimension(population === null ? [carriers] : [carriers, population.length - carriers], minCell);
  return shown ?? null;
}

const Query = {
  /**
   * A variant is a genomic coordinate, answered from its id alone: whether anyone in the hub carries it
   * is a fact about patients, which a query by id must not reveal (no existence oracle across
   * organisations or consent). Who carries it is asked through Patient.variants and cohort counts.
   */
  variant: (_: unknown, args: { id: string }) => parseVariantId(args.id),
  async carrierPatientIds(_: unknown, args: { gene?: string | null; variant?: string | null }, ctx: GenomicsContext) {
    const gene = args.gene?.trim().toUpperCase() || null;
    const variant = args.variant?.trim() || null;
    if (!gene && !variant) throw new HubError(ErrorCode.BAD_USER_INPUT, 'carrierPatientIds: give a gene, a variant or both', { field: 'gene' });
    if (variant) parseVariantId(variant);
    return ctx.repository.carriers(gene, variant, MAX_CARRIERS);
  },
  async cohortGenes(_: unknown, args: { first?: number | null; cohort?: Record<string, unknown> | null }, ctx: GenomicsContext) {
    const first = args.first ?? 10;
    if (first < 1 || first > MAX_COHORT_GENES) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `first: ${first} is outside 1..${MAX_COHORT_GENES}`, { field: 'first' });
    }
    // A cohort filter: its members as the patient subgraph selects them, then counted by this caller's rules.
    const patients = args.cohort ? await ctx.countedCohort(args.cohort) : await ctx.countedGeneCarriers();
    if (patients !== null && patients.length === 0) return [];
    // Every carried gene (the hub annotates fewer than MAX_COHORT_GENES), so that genes hidden from
    // this caller do not shorten the list, then the first `first` of those shown.
    const genes = await ctx.repository.topGenes(MAX_COHORT_GENES, patients, 1);
    const minCell = minimumCellFor(ctx.identity);
    return genes
      .filter((g) => shownCarriers(g.patients, patients, minCell) !== null)
      .slice(0, first)
      .map((g) => ({ gene: { symbol: g.gene }, patients: g.patients }));
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
    await ctx.checkPatientWrite(args.patientId);
    return ctx.repository.addVariantCalls(args.patientId, calls);
  },

  async ingestVcf(_: unknown, args: { patientId: string; vcf: string; sample?: string | null; assumeBuild?: 'GRCh38' | null }, ctx: GenomicsContext) {
    if (!(await ctx.loaders.patientExists.load(args.patientId))) throw patientNotFound(args.patientId);
    await ctx.checkPatientWrite(args.patientId);
    return ctx.vcf.ingest(args.patientId, Readable.from([Buffer.from(args.vcf, 'utf8')]), { sample: args.sample, assumeBuild: args.assumeBuild });
  },
};

/**
 * Reference calls — 0/0 on a stored variant, or an `ALT=.` record kept at a defining position — count
 * as reference; absent positions are reported missing, never assumed.
 */
async function pharmacogenomicsOf(patient: { id: string }, _: unknown, ctx: GenomicsContext) {
  const [calls, references] = await Promise.all([ctx.loaders.pgxCallsByPatient.load(patient.id), ctx.loaders.referenceCallsByPatient.load(patient.id)]);
  return callPharmacogenomics([
    ...calls.map((c) => ({ chrom: c.variant.chrom, pos: c.variant.pos, ref: c.variant.ref, alt: c.variant.alt, genotype: c.genotype })),
    ...references.map((r) => ({ chrom: r.chrom, pos: r.pos, ref: r.ref, alt: '.', genotype: r.genotype })),
  ]);
}

export const MAX_VARIANTS_PAGE = 5000;

interface CarriedPageArgs {
  filter?: VariantFilter | null;
  first?: number | null;
  after?: string | null;
}

/** A page of the calls a patient carries (Patient.variants, Patient.carriedCalls). */
async function carriedPage(patient: { id: string }, args: CarriedPageArgs, ctx: GenomicsContext): Promise<VariantCallRecord[]> {
  const first = args.first ?? 500;
  if (first < 0 || first > MAX_VARIANTS_PAGE) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `first: ${first} is outside 0..${MAX_VARIANTS_PAGE}`, { field: 'first' });
  }
  if (args.after) parseVariantId(args.after);
  return ctx.loaders.carriedCalls(args.filter ?? {}, first, args.after ?? null).load(patient.id);
}

const Patient = {
  /**
   * The gateway's representation carries the patient's organisation (fetched from the patient
   * subgraph in the same patient fetch, @requires in schema/genomics.graphql): noted for the row check
   * the patient fields make, and kept on the patient.
   */
  __resolveReference(representation: { id: string; organization?: string | null }, ctx: GenomicsContext) {
    ctx.organisations.note(representation);
    return representation;
  },
  variantCalls: (patient: { id: string }, _: unknown, ctx: GenomicsContext) => ctx.loaders.callsByPatient.load(patient.id),
  async variants(patient: { id: string }, args: CarriedPageArgs, ctx: GenomicsContext) {
    const calls = await carriedPage(patient, args, ctx);
    // The call's gene (annotated at ingest from the GRCh38 table) travels with its variant: Variant.geneSymbol.
    return calls.map((c) => ({ ...c.variant, geneSymbol: c.gene }));
  },
  /** The page `variants` gives, as the calls themselves (zygosity, genotype): one read serves both. */
  carriedCalls: carriedPage,
  pharmacogenomics: pharmacogenomicsOf,
};

const VariantCall = {
  geneSymbol: (call: VariantCallRecord) => call.gene,
};

const Gene = {
  __resolveReference: (ref: { symbol: string }) => ({ symbol: ref.symbol }),
  async variantsInCohort(gene: { symbol: string }, _: unknown, ctx: GenomicsContext) {
    const [counts, population] = await Promise.all([ctx.loaders.cohortCounts.load(gene.symbol), ctx.countedGeneCarriers()]);
    const patients = shownCarriers(counts.patients, population, minimumCellFor(ctx.identity));
    return patients !== null ? { ...counts, suppressed: false } : { patients: null, variants: null, suppressed: true };
  },
};

const Variant = {
  // As Query.variant: from the id alone; a reference that is not a normalised id resolves to null.
  __resolveReference(ref: { id: string }) {
    try {
      return parseVariantId(ref.id);
    } catch (error) {
      if (error instanceof HubError) return null;
      throw error;
    }
  },
};

export const resolvers = { Query, Mutation, Patient, Variant, VariantCall, Gene };
