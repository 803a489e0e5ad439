#!/usr/bin/env bash
# Generates real Synthea 3.3.0 FHIR R4 bundles (Apache-2.0; synthetic people, no real patient) for the
# fixtures in tests/fixtures/synthea-3.3.0/ (see SOURCE.md there for the run that produced them).
# Synthea is resolved from Maven Central through tools/synthea/pom.xml; tests never run this script.
#
# Usage: npm run synthea:generate -- [outputDirectory]   (default: a new temporary directory)
# Extra Synthea options may follow the directory, e.g. `-- /tmp/out -p 80`.
#
# Seeds (-s population, -cs clinicians) and the reference/end date (-r/-e) are fixed so that the same
# command gives the same people; without -r/-e Synthea simulates up to "now" and every run differs.
# The run is done without network (unshare -n where available): Synthea reads its modules, demographics
# and providers from its own jar and needs no internet.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$(mktemp -d -t synthea-XXXXXX)}"
shift || true
mkdir -p "$out"
out="$(cd "$out" && pwd)"

SEED="${SYNTHEA_SEED:-42}"
CLINICIAN_SEED="${SYNTHEA_CLINICIAN_SEED:-42}"
POPULATION="${SYNTHEA_POPULATION:-40}"
AGES="${SYNTHEA_AGES:-55-80}"
REFERENCE_DATE="${SYNTHEA_REFERENCE_DATE:-20261206}"

classpath_file="$out/classpath.txt"
mvn -q -B -f "$repo/tools/synthea/pom.xml" dependency:build-classpath \
  -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=runtime

isolate=()
if unshare -n true 2>/dev/null; then isolate=(unshare -n); else echo "synthea-generate: unshare -n unavailable, running with network" >&2; fi

args=(
  -s "$SEED" -cs "$CLINICIAN_SEED" -p "$POPULATION" -a "$AGES" -r "$REFERENCE_DATE" -e "$REFERENCE_DATE"
  --exporter.baseDirectory="$out/"
  --exporter.fhir.export=true
  --exporter.hospital.fhir.export=false
  --exporter.practitioner.fhir.export=false
  --exporter.groups.fhir.export=false
  --exporter.ccda.export=false
  --exporter.csv.export=false
  --exporter.text.export=false
  --exporter.clinical_note.export=false
  "$@"
)
echo "synthea-generate: java -cp <tools/synthea classpath> App ${args[*]}" >&2
(cd "$out" && "${isolate[@]}" java -cp "$(cat "$classpath_file")" App "${args[@]}")
echo "synthea-generate: bundles in $out/fhir" >&2
