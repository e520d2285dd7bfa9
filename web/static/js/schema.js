// The API's own OpenAPI document is the web app's source for names: stages, the new-case fields and
// their allowed values, and each action's form. Nothing the server defines is retyped here.

let doc;

export async function loadSchema() {
  if (!doc) {
    const res = await fetch('/api/openapi.json', { credentials: 'same-origin' });
    doc = await res.json();
  }
  return doc;
}

function bodySchema(path, method = 'post') {
  return doc?.paths?.[path]?.[method]?.requestBody?.content?.['application/json']?.schema ?? { properties: {} };
}

/** The lifecycle in order, from the case view's `stage` enum. */
export function stages() {
  const view = doc?.paths?.['/api/v1/cases/{id}']?.get?.responses?.['200']?.content?.['application/json']?.schema;
  return view?.properties?.stage?.enum ?? [];
}

/** JSON schema of the body of POST /cases. */
export function caseInputSchema() {
  return bodySchema('/api/v1/cases');
}

/** Allowed values of a property of a JSON schema (also of array items). */
export function enumOf(schema, name) {
  const p = schema?.properties?.[name];
  return p?.enum ?? p?.items?.enum ?? [];
}

/** { payload, reason } schemas of POST /cases/{id}/actions/<action>. */
export function actionSchema(action) {
  const body = bodySchema(`/api/v1/cases/{id}/actions/${action}`);
  return { payload: body.properties?.payload ?? { properties: {} }, reason: body.properties?.reason ?? { type: 'string', maxLength: 1000 } };
}
