// Entry point of a FHIR validation worker thread. Worker threads start without the TypeScript loader
// the main thread runs under (tsx, or jest's transform), so this plain-JS shim registers tsx first.
require('tsx/cjs/api').register();
module.exports = require('./fhir-validation.ts').validateFhirResources;
