import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readPharmcatFile } from '../../subgraphs/genomics/domain/pharmacogenomics/pharmcat-definitions';

/**
 * PharmCAT's Named Allele Matcher test cases for the hub's genes (vendored with their SOURCE.md): the
 * VCF files its tests read, and the cases whose VCF its tests build.
 */
const PHARMCAT_TESTS = path.join(__dirname, '../../subgraphs/genomics/domain/pharmacogenomics/data/pharmcat-tests');
interface PharmcatCase { id: string; gene: string; expected: string[]; built?: { variations: [string, string, string][]; missing: string[]; phased: boolean } }
interface TranslationVariant { chromosome: string; position: number; rsid: string | null; ref: string; alts: string[]; cpicToVcfAlleleMap: Record<string, string> }

/**
 * The VCF a built PharmCAT case describes, as its test writes it: the genotypes given per rsID, the
 * rsIDs named missing left out, every other defining position of the gene homozygous reference.
 */
export function pharmcatBuiltVcf(caseId: string): string {
  const cases = JSON.parse(readFileSync(path.join(PHARMCAT_TESTS, 'cases.json'), 'utf8')) as PharmcatCase[];
  const c = cases.find((x) => x.id === caseId);
  if (!c?.built) throw new Error(`${caseId}: no built PharmCAT case of that id in cases.json`);
  const { variants } = readPharmcatFile<{ variants: TranslationVariant[] }>(`${c.gene}_translation.json.gz`);
  const lines = ['##fileformat=VCFv4.2', '##reference=GRCh38', '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT', 'SAMPLE'].join('\t')];
  for (const v of variants) {
    if (v.rsid && c.built.missing.includes(v.rsid)) continue;
    const given = c.built.variations.find(([rs]) => rs === v.rsid);
    const index = (allele: string) => [v.ref, ...v.alts].indexOf(v.cpicToVcfAlleleMap[allele] ?? allele);
    const gt = given ? `${index(given[1])}/${index(given[2])}` : '0/0';
    lines.push([v.chromosome, v.position, v.rsid ?? '.', v.ref, v.alts.join(','), '.', 'PASS', '.', 'GT', gt].join('\t'));
  }
  return lines.join('\n') + '\n';
}

/** One of PharmCAT's test VCF files, e.g. `TPMT/s3as3b.vcf`. */
export function pharmcatTestVcf(file: string): string {
  return readFileSync(path.join(PHARMCAT_TESTS, file), 'utf8');
}
