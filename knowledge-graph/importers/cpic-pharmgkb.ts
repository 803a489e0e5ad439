/**
 * CPIC guideline annotations as PharmGKB publishes them (and PharmCAT bundles them, e.g. the 2024-03-25
 * release staged as `cpic/pharmcat-cpic-guidelines-2024-03-25.tar.xz`: `guidelines/CPIC_<drugs>_and_<genes>.json`,
 * docs/knowledge-releases/knowledge-bases.md) → the GuidelineRow the CPIC importer writes.
 *
 * One file per guideline:
 *
 *   { "guideline": { "id": "PA166104948", "name": "Annotation of CPIC Guideline for …", "source": "CPIC",
 *                    "url": "https://www.pharmgkb.org/guidelineAnnotation/PA166104948", … },
 *     "recommendations": [ { "id": "PA166297566", "population": "CVI ACS PCI",
 *                            "classification": { "term": "Strong" },
 *                            "relatedChemicals": [ { "id": "PA449053", "name": "clopidogrel" } ],
 *                            "text": { "html": "<p>…</p>\n<h4>Other Considerations</h4>\n<p>…</p>" },
 *                            "implications": [ "CYP2C19: …" ],
 *                            "lookupKey": { "CYP2C19": "Rapid Metabolizer" } } ],
 *     "citations": [ { "pmid": "35034351", … } ],
 *     "version": "2024-03-25-16-13" }
 *
 * Mapping: id `cpic:pharmgkb:<recommendation PA id>` (PharmGKB's own, stable across releases: a newer release
 * updates the same node; CPIC's numeric recommendation ids are not in this layout, so these do not merge with
 * `cpic:recommendation:<id>` rows); the drug by name (no RxNorm here: an existing Drug with that name is reused,
 * else `name:<lowercase>`); genes and phenotypes from `lookupKey`; the recommendation is the HTML text before
 * "Other Considerations" as plain text, the rest goes to `comments` (tables as `a | b` lines); implications
 * "GENE: text" per gene (any other line joins the comments); citations `PMID:<n>`. A file whose guideline
 * source is not CPIC (PharmGKB's DPWG annotations share the layout, under CC BY-SA) is skipped as NOT_IMPORTED.
 */
import { latestYear } from '../guideline-versions';
import { drugRef } from './common';
import type { GuidelineRow } from './cpic';
import { firstProblem, geneSymbolProblem, ImportRejectCode, skipRecord, textProblem, type Skip } from './record-checks';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

/** A PharmGKB guideline-annotation document (top-level guideline + recommendations[]). */
export function isPharmgkbGuideline(data: unknown): boolean {
  const d = obj(data);
  return Object.keys(obj(d.guideline)).length > 0 && Array.isArray(d.recommendations);
}

/** The release a document names (`version`, e.g. "2024-03-25-16-13"), if any. */
export function pharmgkbVersion(data: unknown): string | null {
  return str(obj(data).version);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** PharmGKB's recommendation HTML → text: blocks and rows on lines, cells joined by " | ", entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<\/(td|th)>\s*<(td|th)[^>]*>/gi, ' | ')
    .replace(/<(br|\/p|\/tr|\/li|\/h\d|\/table|\/ul)\b[^>]*>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
      e[0] === '#' ? String.fromCodePoint(e[1]?.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e.toLowerCase()] ?? m),
    )
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** Every recommendation of one guideline document → rows, or skips with the recommendation's index. */
export function pharmgkbGuidelineRows(data: unknown): { index: number; row: GuidelineRow | Skip }[] {
  const doc = obj(data);
  const guideline = obj(doc.guideline);
  const source = str(guideline.source);
  const recommendations = list(doc.recommendations);
  if (source !== 'CPIC') {
    return recommendations.map((_, index) => ({ index, row: skipRecord(ImportRejectCode.NOT_IMPORTED, `guideline source ${JSON.stringify(source)} is not CPIC`) }));
  }
  const publishedYear = latestYear(list(doc.citations).map((c) => Number(obj(c).year)));
  const citations = list(doc.citations)
    .map((c) => str(obj(c).pmid))
    .filter((p): p is string => p !== null)
    .map((p) => `PMID:${p}`);
  return recommendations.map((rec, index) => ({ index, row: recommendationRow(rec, guideline, citations, publishedYear) }));
}

function recommendationRow(rec: unknown, guideline: Json, citations: string[], publishedYear: number | null): GuidelineRow | Skip {
  const r = obj(rec);
  const id = str(r.id);
  if (!id) return skipRecord(ImportRejectCode.MISSING_FIELD, 'no recommendation id');
  if (!/^PA\d+$/.test(id)) return skipRecord(ImportRejectCode.INVALID_IDENTIFIER, `recommendation id ${JSON.stringify(id.slice(0, 40))} is not a PharmGKB id (PA and digits)`);
  const lookup = Object.fromEntries(Object.entries(obj(r.lookupKey)).map(([gene, value]) => [gene, str(value) ?? '']));
  const genes = Object.keys(lookup);
  if (genes.length === 0) return skipRecord(ImportRejectCode.MISSING_FIELD, 'no gene (lookupKey empty)');
  const drugName = str(obj(list(r.relatedChemicals)[0]).name);
  if (!drugName) return skipRecord(ImportRejectCode.MISSING_FIELD, 'no drug (relatedChemicals[0].name)');
  const html = str(obj(r.text).html);
  if (!html) return skipRecord(ImportRejectCode.MISSING_FIELD, 'no text.html');
  const [main, ...rest] = html.split(/<h4[^>]*>\s*Other Considerations\s*<\/h4>/i);
  const recommendation = htmlToText(main!);
  if (!recommendation) return skipRecord(ImportRejectCode.MISSING_FIELD, 'text.html holds no recommendation text');
  const implications: Record<string, string> = {};
  const otherNotes: string[] = [];
  for (const line of list(r.implications).map(str).filter((l): l is string => l !== null)) {
    const match = /^([A-Za-z0-9-]+):\s*([\s\S]*)$/.exec(line);
    if (match && genes.includes(match[1]!)) implications[match[1]!] = match[2]!.trim();
    else otherNotes.push(line);
  }
  const comments = [htmlToText(rest.join('\n')), ...otherNotes].filter((c) => c !== '').join('\n') || null;
  const classification = str(obj(r.classification).term);
  const population = str(r.population);
  const problem = firstProblem(
    ...genes.map((g) => geneSymbolProblem('lookupKey gene', g)),
    textProblem(
      { drug: drugName, recommendation, classification, population, phenotypes: Object.values(lookup), implications: Object.values(implications), comments, guideline: str(guideline.name), citations },
      ['recommendation', 'implications', 'comments'],
    ),
  );
  if (problem) return problem;
  return {
    id: `cpic:pharmgkb:${id}`,
    genes,
    drug: { ...drugRef(drugName), byName: true },
    phenotypes: JSON.stringify(lookup),
    lookupKey: JSON.stringify(lookup),
    recommendation,
    classification,
    population,
    implications: JSON.stringify(implications),
    comments,
    name: str(guideline.name),
    url: str(guideline.url),
    citations,
    publishedYear,
  };
}
