import type { AllergyIntolerance, Condition, DiagnosticReport, DocumentReference, MedicationRequest, Reference } from '@medplum/fhirtypes';
import {
  ALLERGIES,
  ALLERGY_CLINICAL,
  ALLERGY_VERIFICATION,
  CLINICAL_NOTE,
  CONDITION,
  CONDITION_CATEGORY,
  CONDITION_CLINICAL,
  CONDITION_VERIFICATION,
  DIAGNOSTIC_SERVICE,
  GENETIC_REPORT,
  LIPID_PANEL,
  LOINC,
  MEDICATION,
  RXNORM,
  SMOKING,
  SMOKING_STATUS,
  SNOMED,
  US_CORE_DOCUMENT_CATEGORY,
  type Code,
} from './clinical-codes';
import { addObservation, concept, type LipidPanel, type RecordBuilder, type Visit } from './record-builder';
import { DAY, MINUTE } from './synthetic-time';

type Prescription = 'active' | 'stopped';

/**
 * Conditions with their treatment, allergies, smoking status, reports and the visit note: the part of
 * a record that NLP and risk models read besides vital signs and labs.
 */
export function addProblemList(record: RecordBuilder, visits: Visit[], lipidPanels: LipidPanel[]): void {
  const { rng, person } = record;
  const last = visits[visits.length - 1]!;
  const diagnoses: Code[] = [];
  const activeMedications: Code[] = [];
  const diagnose = (code: Code, visit: Visit, resolvedAfterDays?: number) => {
    diagnoses.push(code);
    return addCondition(record, visit, code, resolvedAfterDays);
  };
  const prescribe = (medication: Code, visit: Visit, reason: Reference<Condition>, status: Prescription) => {
    if (status === 'active') activeMedications.push(medication);
    addMedicationRequest(record, visit, medication, reason, status);
  };
  const ongoing = (): Prescription => (rng.chance(0.9) ? 'active' : 'stopped');

  if (person.hypertension) {
    const visit = rng.pick(visits);
    const reason = diagnose(CONDITION.hypertension, visit);
    if (rng.chance(0.25)) {
      // ACE-inhibitor cough: lisinopril stopped, amlodipine started at the next visit.
      prescribe(MEDICATION.lisinopril, visit, reason, 'stopped');
      prescribe(MEDICATION.amlodipine, visits[visits.indexOf(visit) + 1] ?? visit, reason, 'active');
    } else {
      prescribe(rng.pick([MEDICATION.lisinopril, MEDICATION.amlodipine]), visit, reason, ongoing());
    }
  }
  if (person.hyperlipidemia) {
    const visit = rng.pick(visits);
    prescribe(MEDICATION.atorvastatin, visit, diagnose(CONDITION.hyperlipidemia, visit), ongoing());
  }
  if (person.diabetes) {
    const visit = rng.pick(visits);
    prescribe(MEDICATION.metformin, visit, diagnose(CONDITION.diabetes, visit), ongoing());
  }
  if (person.lungCancer) {
    const visit = rng.pick(visits);
    diagnose(CONDITION.lungCancer, visit);
    addGeneticReport(record, visit);
  }
  if (person.pharyngitis) diagnose(CONDITION.pharyngitis, rng.pick(visits), rng.int(7, 14));
  if (rng.chance(0.25)) addAllergy(record, visits[0]!);
  if (rng.chance(0.4) && lipidPanels[0]) addLipidReport(record, lipidPanels[0]);

  addObservation(record, last, 'social-history', SMOKING_STATUS, { valueCodeableConcept: concept(SNOMED, SMOKING[person.smoking]) }, last.start + 8 * MINUTE);
  addClinicalNote(record, last, noteText(record, last, diagnoses, activeMedications));
}

function addCondition(record: RecordBuilder, visit: Visit, code: Code, resolvedAfterDays?: number): Reference<Condition> {
  const onset = visit.start + 15 * MINUTE;
  return record.add<Condition>({
    resourceType: 'Condition',
    id: record.rng.uuid(),
    clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: resolvedAfterDays ? 'resolved' : 'active' }] },
    verificationStatus: { coding: [{ system: CONDITION_VERIFICATION, code: 'confirmed' }] },
    category: [{ coding: [{ system: CONDITION_CATEGORY, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
    code: concept(SNOMED, code),
    subject: record.patient,
    encounter: visit.reference,
    onsetDateTime: record.at(onset),
    ...(resolvedAfterDays ? { abatementDateTime: record.at(onset + resolvedAfterDays * DAY) } : {}),
    recordedDate: record.at(onset),
  });
}

function addMedicationRequest(record: RecordBuilder, visit: Visit, medication: Code, reason: Reference<Condition>, status: Prescription): void {
  record.add<MedicationRequest>({
    resourceType: 'MedicationRequest',
    id: record.rng.uuid(),
    status,
    intent: 'order',
    medicationCodeableConcept: concept(RXNORM, medication),
    subject: record.patient,
    encounter: visit.reference,
    authoredOn: record.at(visit.start + 20 * MINUTE),
    reasonReference: [reason],
    dosageInstruction: [
      {
        sequence: 1,
        text: 'Take 1 tablet by mouth once daily',
        timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
        asNeededBoolean: false,
        doseAndRate: [{ doseQuantity: { value: 1 } }],
      },
    ],
  });
}

function addAllergy(record: RecordBuilder, visit: Visit): void {
  const allergy = record.rng.pick(ALLERGIES);
  record.add<AllergyIntolerance>({
    resourceType: 'AllergyIntolerance',
    id: record.rng.uuid(),
    clinicalStatus: { coding: [{ system: ALLERGY_CLINICAL, code: 'active' }] },
    verificationStatus: { coding: [{ system: ALLERGY_VERIFICATION, code: 'confirmed' }] },
    type: 'allergy',
    category: [allergy.category],
    criticality: 'low',
    code: concept(SNOMED, allergy),
    patient: record.patient,
    encounter: visit.reference,
    recordedDate: record.at(visit.start + 12 * MINUTE),
  });
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function addLipidReport(record: RecordBuilder, panel: LipidPanel): void {
  const drawn = panel.visit.start + 10 * MINUTE;
  record.add<DiagnosticReport>({
    resourceType: 'DiagnosticReport',
    id: record.rng.uuid(),
    status: 'final',
    category: [{ coding: [{ system: DIAGNOSTIC_SERVICE, code: 'LAB', display: 'Laboratory' }] }],
    code: concept(LOINC, LIPID_PANEL),
    subject: record.patient,
    encounter: panel.visit.reference,
    effectiveDateTime: record.at(drawn),
    issued: record.at(drawn + 6 * 60 * MINUTE),
    result: panel.results,
    presentedForm: [{ contentType: 'text/plain', data: base64(panel.summary) }],
  });
}

function addGeneticReport(record: RecordBuilder, visit: Visit): void {
  const collected = visit.start + 30 * MINUTE;
  const alleleFraction = record.rng.int(12, 48);
  // EGFR exon 21 L858R is NM_005228.5:c.2573T>G; sensitising to EGFR tyrosine kinase inhibitors (NCCN NSCLC).
  const text =
    'Specimen: lung adenocarcinoma, tumour tissue. Targeted NGS panel: EGFR c.2573T>G p.(Leu858Arg) (L858R) ' +
    `detected, variant allele fraction ${alleleFraction}%. KRAS, ALK, ROS1: no alterations detected. ` +
    'Interpretation: sensitising EGFR mutation.';
  record.add<DiagnosticReport>({
    resourceType: 'DiagnosticReport',
    id: record.rng.uuid(),
    status: 'final',
    category: [{ coding: [{ system: DIAGNOSTIC_SERVICE, code: 'GE', display: 'Genetics' }] }],
    code: concept(LOINC, GENETIC_REPORT),
    subject: record.patient,
    encounter: visit.reference,
    effectiveDateTime: record.at(collected),
    issued: record.at(collected + 9 * DAY),
    conclusion: 'EGFR L858R detected.',
    presentedForm: [{ contentType: 'text/plain', data: base64(text) }],
  });
}

function addClinicalNote(record: RecordBuilder, visit: Visit, text: string): void {
  record.add<DocumentReference>({
    resourceType: 'DocumentReference',
    id: record.rng.uuid(),
    status: 'current',
    type: concept(LOINC, CLINICAL_NOTE),
    category: [{ coding: [{ system: US_CORE_DOCUMENT_CATEGORY, code: 'clinical-note', display: 'Clinical Note' }] }],
    subject: record.patient,
    date: record.at(visit.end),
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64(text) } }],
    context: { encounter: [visit.reference], period: { start: record.at(visit.start), end: record.at(visit.end) } },
  });
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const listed = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** A few sentences with findings stated, negated ("no chest pain") and a variant named, for NLP to pick apart. */
function noteText(record: RecordBuilder, visit: Visit, diagnoses: Code[], medications: Code[]): string {
  const { rng, person } = record;
  const sentences = [`Patient is a ${record.ageAt(visit.start)}-year-old ${person.gender}.`];
  sentences.push(diagnoses.length ? `History of ${listed(diagnoses.map((d) => lowerFirst(d.display)))}.` : 'No significant past medical history.');
  sentences.push(medications.length ? `Current medications: ${medications.map((m) => m.display).join('; ')}.` : 'Takes no regular medications.');
  sentences.push({ never: 'Never smoker.', former: 'Former smoker, quit over ten years ago.', daily: 'Smokes tobacco daily; cessation counselling offered.' }[person.smoking]);
  const symptoms = rng.next();
  if (symptoms < 0.5) sentences.push('Reports no chest pain and no shortness of breath.');
  else if (symptoms < 0.6) sentences.push('Reports chest pain on exertion, relieved by rest.');
  if (person.lungCancer) sentences.push('Tumor sequencing of the lung adenocarcinoma showed EGFR L858R; osimertinib discussed.');
  sentences.push('Follow up in 6 months.');
  return sentences.join(' ');
}
