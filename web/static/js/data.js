// Reference data fetched once per session: the programmes this deployment runs.
import { api } from './api.js';

let programmes;

export async function loadProgrammes() {
  if (!programmes) programmes = api('GET', '/api/v1/programmes').then((r) => r.items, (err) => ((programmes = undefined), Promise.reject(err)));
  return programmes;
}

export function forgetReferenceData() {
  programmes = undefined;
}

export function programmeName(list, id) {
  return list.find((p) => p.id === id)?.name ?? id;
}
