/**
 * HPO as OBO Graphs JSON (`hp.json`, the format HPO publishes beside `hp.obo`; spec:
 * github.com/geneontology/obographs, README "Basic Graphs"): one document `{graphs: [{id, meta: {version},
 * nodes: [{id, lbl, type, meta: {synonyms: [{pred, val}], deprecated}}], edges: [{sub, pred, obj}]}]}`.
 *
 * Read whole with JSON.parse: the 2023-01-27 hp.json is 22.8 MB and parses in ~0.3 s at ~135 MB peak
 * RSS (measured here), well within an import's budget, so no incremental JSON parser is needed.
 *
 * Yields the same OboTerm the OBO reader gives, so both formats go through one import path:
 * - terms: nodes of type CLASS whose IRI is `http://purl.obolibrary.org/obo/HP_<digits>` → `HP:<digits>`
 *   (the few imported GO/BFO/RO/IAO classes and the annotation properties are left out: they are not
 *   phenotypes and carry no annotations);
 * - `lbl` → name, every `meta.synonyms[].val` → synonyms (the OBO reader keeps every synonym scope too),
 *   `meta.deprecated` → obsolete, `meta.basicPropertyValues` of IAO_0100001 ("term replaced by", the OWL form of
 *   OBO's `replaced_by`; the value an HP IRI or an `HP:` CURIE) → replacedBy;
 * - `is_a` edges between HP terms → parents (order of the file).
 * The release: `meta.version` ".../hp/releases/2023-01-27/hp.json" → "2023-01-27".
 */
import { ImportInputError } from './common';
import type { OboTerm } from './hpo-ontology';

const HP_IRI = /^http:\/\/purl\.obolibrary\.org\/obo\/HP_(\d+)$/;
const HP_CURIE = /^HP:\d+$/;
/** IAO "term replaced by" (OBO `replaced_by` in OWL and in OBO Graphs). */
const REPLACED_BY = 'http://purl.obolibrary.org/obo/IAO_0100001';

interface ObographsNode {
  id?: unknown;
  lbl?: unknown;
  type?: unknown;
  meta?: { synonyms?: Array<{ val?: unknown }>; deprecated?: unknown; basicPropertyValues?: Array<{ pred?: unknown; val?: unknown }> };
}

interface ObographsEdge {
  sub?: unknown;
  pred?: unknown;
  obj?: unknown;
}

export interface ObographsOntology {
  version: string | null;
  terms: OboTerm[];
}

function hpId(iri: unknown): string | null {
  if (typeof iri !== 'string') return null;
  const m = HP_IRI.exec(iri);
  return m ? `HP:${m[1]}` : null;
}

/** `text` is the whole hp.json; `file` names it in errors. Terms carry their node index as `line`. */
export function readObographs(text: string, file: string): ObographsOntology {
  let doc: { graphs?: Array<{ meta?: { version?: unknown }; nodes?: ObographsNode[]; edges?: ObographsEdge[] }> };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (error) {
    throw new ImportInputError(`HPO ontology ${file}: not JSON (${(error as Error).message}); nothing was imported`);
  }
  const graph = Array.isArray(doc?.graphs) ? doc.graphs[0] : undefined;
  if (!graph || !Array.isArray(graph.nodes) || !Array.isArray(graph.edges)) {
    throw new ImportInputError(`HPO ontology ${file}: not an OBO Graphs document (no graphs[0].nodes/edges); nothing was imported`);
  }
  const version = typeof graph.meta?.version === 'string' ? (/releases\/([^/]+)\//.exec(graph.meta.version)?.[1] ?? graph.meta.version) : null;

  const parents = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (edge.pred !== 'is_a') continue;
    const child = hpId(edge.sub);
    const parent = hpId(edge.obj);
    if (!child || !parent) continue;
    const list = parents.get(child);
    if (list) list.push(parent);
    else parents.set(child, [parent]);
  }

  const terms: OboTerm[] = [];
  graph.nodes.forEach((node, i) => {
    if (node.type !== 'CLASS') return;
    const id = hpId(node.id);
    if (!id) return;
    terms.push({
      id,
      name: typeof node.lbl === 'string' ? node.lbl : null,
      synonyms: (node.meta?.synonyms ?? []).map((s) => s.val).filter((v): v is string => typeof v === 'string'),
      parents: parents.get(id) ?? [],
      obsolete: node.meta?.deprecated === true,
      replacedBy: (node.meta?.basicPropertyValues ?? [])
        .filter((v) => v.pred === REPLACED_BY)
        .map((v) => (typeof v.val === 'string' && HP_CURIE.test(v.val) ? v.val : hpId(v.val)))
        .filter((v): v is string => v !== null),
      line: i + 1,
    });
  });
  return { version, terms };
}
