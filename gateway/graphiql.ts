import type { GraphiQLOptions } from 'graphql-yoga';
import { css, editorWorkerService, favicon, graphqlWorker, js, jsonWorker } from '@graphql-yoga/render-graphiql/graphiql';
import { GRAPHIQL_SIGN_IN_SCRIPT, GRAPHIQL_SIGN_IN_STYLE } from './graphiql-sign-in';

/**
 * GraphiQL at `/graphql`, bundled (no CDN: clinical networks often block them) and able to sign in.
 * Every gateway request needs credentials, GraphiQL's own schema fetch included, so the page opens
 * with a sign-in bar: the token (or partner API key) pasted there is kept in this tab's
 * sessionStorage (gone when the tab closes, never sent to any other origin) and sent with the schema
 * fetch, every operation, and as the graphql-ws connection parameters of subscriptions. The page
 * itself carries no credential and needs none (gateway/auth.ts lets GET text/html through).
 *
 * The page is `@graphql-yoga/render-graphiql`'s own, with the sign-in bar added and the options
 * built in the browser, where the stored credential is.
 */

export const GRAPHIQL_TITLE = 'Precision Hub — clinical decision support, not a medical device';

/*
 * GraphiQL names a tab after the first `query|mutation|subscription <word>` anywhere in its text,
 * comments included (its stock comment gave the tab "might"): these comments avoid those words.
 */
const FIND_PATIENTS = `# Precision Hub: clinical decision support, not a medical device.
#
# Sign in above with a bearer token (npm run token -- --role admin) or a partner API key,
# then press Ctrl-Enter (or the play button). Docs: the book icon on the left; Ctrl-Space
# completes fields and arguments. Reading identified data is audited.
query FindPatients($first: Int = 5) {
  patients(first: $first) {
    totalCount
    edges {
      node {
        id
        name
        birthDate
        sex
        identifiers {
          system
          value
        }
      }
    }
  }
}
`;

const CARDIOVASCULAR_RISK = `# Pooled Cohort Equations and PREVENT for the inputs given (percent, 0-100); no patient record is read.
query CardiovascularRisk {
  cardiovascularRisk(
    input: { age: 55, sex: FEMALE, race: WHITE, totalCholesterol: 213, hdlCholesterol: 50, systolicBp: 120, onHypertensionTreatment: false, smoker: false, diabetes: false }
  ) {
    pce10y
    prevent {
      cvd10y
      ascvd10y
      hf10y
    }
    notApplicableReasons
    missing
  }
}
`;

export const GRAPHIQL_OPTIONS: GraphiQLOptions = {
  title: GRAPHIQL_TITLE,
  defaultTabs: [{ query: FIND_PATIENTS }, { query: CARDIOVASCULAR_RISK }],
  // Subscriptions over graphql-ws on /graphql, the hub's subscription transport (credentials as connection parameters).
  subscriptionsProtocol: 'WS',
  // The credential lives in sessionStorage, never in GraphiQL's persisted header editor.
  shouldPersistHeaders: false,
};

/** JSON inside an inline <script>: no `</script>` or `<!--` can end or bend it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The runtime's `renderGraphiQL`: the page for the options the runtime passes (ours, with its endpoint). */
export function renderHubGraphiQL(options: GraphiQLOptions = GRAPHIQL_OPTIONS): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? GRAPHIQL_TITLE)}</title>
    <link rel="icon" href="${escapeHtml(options.favicon ?? favicon)}" />
    <style>${css}</style>
    <style>${GRAPHIQL_SIGN_IN_STYLE}</style>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <form id="hub-sign-in" class="hub-sign-in" autocomplete="off"></form>
    <div id="root"></div>
    <script>
      function prepareBlob(workerContent) {
        return URL.createObjectURL(new Blob([workerContent], { type: 'application/javascript' }));
      }
      const workers = {
        editorWorkerService: prepareBlob(${scriptJson(editorWorkerService)}),
        json: prepareBlob(${scriptJson(jsonWorker)}),
        graphql: prepareBlob(${scriptJson(graphqlWorker)}),
      };
      self['MonacoEnvironment'] = { globalAPI: false, getWorkerUrl: (moduleId, label) => workers[label] };
      ${js};
      ${GRAPHIQL_SIGN_IN_SCRIPT}
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), hubSignIn(${scriptJson(options)}));
    </script>
  </body>
</html>`;
}
