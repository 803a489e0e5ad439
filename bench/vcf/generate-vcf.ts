/**
 * A deterministic single-sample GRCh38 VCF of N records, like a germline caller's output: SNVs and
 * short indels, some multi-allelic sites, GT/DP/GQ/AD per call, sorted by chromosome and position.
 *
 *   npx tsx bench/vcf/generate-vcf.ts --records 1000000 --seed 7 --out .data/bench.vcf
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';

/** sfc32: small, fast, deterministic PRNG (Chris Doty-Humphrey's PractRand). */
function sfc32(seed: number): () => number {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  return () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** GRCh38 primary-assembly lengths (GRC, GCA_000001405.15) for chromosomes 1–22. */
const LENGTHS = [
  248956422, 242193529, 198295559, 190214555, 181538259, 170805979, 159345973, 145138636, 138394717, 133797422, 135086622,
  133275309, 114364328, 107043718, 101991189, 90338345, 83257441, 80373285, 58617616, 64444167, 46709983, 50818468,
];
const BASES = ['A', 'C', 'G', 'T'];

export function* vcfLines(records: number, seed: number): Generator<string> {
  const random = sfc32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  yield '##fileformat=VCFv4.2';
  yield '##reference=GRCh38';
  for (let i = 0; i < LENGTHS.length; i++) yield `##contig=<ID=chr${i + 1},length=${LENGTHS[i]}>`;
  yield '##FILTER=<ID=LowQual,Description="Low quality">';
  yield '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">';
  yield '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">';
  yield '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">';
  yield '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">';
  yield ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT', 'SAMPLE1'].join('\t');
  const total = LENGTHS.reduce((a, b) => a + b, 0);
  let emitted = 0;
  for (let chrom = 0; chrom < LENGTHS.length && emitted < records; chrom++) {
    const here = chrom === LENGTHS.length - 1 ? records - emitted : Math.round((records * LENGTHS[chrom]!) / total);
    const step = Math.max(2, Math.floor(LENGTHS[chrom]! / (here + 1)));
    let pos = 10_000;
    for (let i = 0; i < here && emitted < records; i++, emitted++) {
      // Random steps can overshoot the chromosome's end, which ingestion refuses (POS beyond the contig):
      // cap each position so the records still to come, each at least one base on and a 3-base REF, fit.
      pos = Math.min(pos + 1 + Math.floor(random() * (step * 2 - 1)), LENGTHS[chrom]! - 10 - (here - i));
      const ref = pick(BASES);
      const kind = random();
      let refAllele = ref;
      let alts: string[];
      if (kind < 0.85) alts = [pick(BASES.filter((b) => b !== ref))];
      else if (kind < 0.92) alts = [ref + pick(BASES) + pick(BASES)];
      else if (kind < 0.97) {
        refAllele = ref + pick(BASES) + pick(BASES);
        alts = [ref];
      } else alts = BASES.filter((b) => b !== ref).slice(0, 2);
      const depth = 10 + Math.floor(random() * 90);
      const gt = alts.length === 2 ? '1/2' : random() < 0.6 ? '0/1' : '1/1';
      const altDepth = Math.floor(depth * (gt === '1/1' ? 0.98 : 0.45));
      const ad = alts.length === 2 ? `${depth - 2 * Math.floor(altDepth / 2)},${Math.floor(altDepth / 2)},${Math.floor(altDepth / 2)}` : `${depth - altDepth},${altDepth}`;
      const qual = 20 + Math.floor(random() * 980);
      yield [`chr${chrom + 1}`, pos, '.', refAllele, alts.join(','), qual, qual < 50 ? 'LowQual' : 'PASS', '.', 'GT:DP:GQ:AD', `${gt}:${depth}:${Math.min(99, qual)}:${ad}`].join('\t');
    }
  }
}

export async function writeVcf(file: string, records: number, seed: number): Promise<void> {
  const out = fs.createWriteStream(file);
  let buffer = '';
  for (const line of vcfLines(records, seed)) {
    buffer += line + '\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

if (require.main === module) {
  const { values } = parseArgs({ options: { records: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } } });
  if (!values.out) {
    console.error('usage: npx tsx bench/vcf/generate-vcf.ts --records N --seed S --out file.vcf');
    process.exit(2);
  }
  writeVcf(values.out, Number(values.records ?? 1_000_000), Number(values.seed ?? 7)).then(() => console.log(`wrote ${values.out}`));
}
