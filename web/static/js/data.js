// Reference data fetched once per session: the programmes this deployment runs.
import { api } from './api.js';

let programmes;

/** Cached for the session; a failed fetch is not cached, so the next page tries again. */
export function loadProgrammes() {
  programmes ??= api('GET', '/api/v1/programmes')
    .then((r) => r.items)
    .catch((err) => {
      programmes = undefined;
      throw err;
    });
  return programmes;
}

export function forgetReferenceData() {
  programmes = undefined;
}

export function programmeName(list, id) {
  return list.find((p) => p.id === id)?.name ?? id;
}
