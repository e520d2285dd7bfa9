// The side panels of the case page: key facts, money, deadlines, escalations and (for roles allowed to see
// personal data) the household. Each one is a small pure function of the case JSON.
import { h } from '../dom.js';
import { countryName } from '../countries.js';
import { formatDate, formatMoney, label, t, tn } from '../i18n.js';

function panel(id, title, ...content) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...content);
}

function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export function factsPanel(c, programme) {
  const hh = c.household ?? {};
  return panel(
    'facts-title',
    t('case.facts'),
    facts([
      [t('field.programmeId'), programme?.name ?? c.programmeId],
      [t('field.countryOfReturn'), countryName(c.country)],
      [t('field.nationality'), countryName(c.nationality)],
      [t('field.office'), c.office],
      [t('field.referringBody'), c.referringBody && label('enum.referringBody', c.referringBody)],
      [t('case.household'), `${tn('case.people', hh.size ?? 0)} (${tn('case.adults', hh.adults ?? 0)}, ${tn('case.minors', hh.minors ?? 0)})`],
      [t('case.opened'), formatDate(c.openedAt)],
      [t('case.outcome'), c.outcome && label('outcome', c.outcome)],
    ]),
  );
}

export function amountsPanel(c, currency) {
  const a = c.amounts ?? {};
  return panel(
    'amounts-title',
    t('case.amounts'),
    facts([
      [t('amounts.planned'), formatMoney(a.planned, currency)],
      [t('amounts.paid'), formatMoney(a.paid, currency)],
      [t('amounts.remaining'), formatMoney(a.remaining, currency)],
      [t('amounts.plan'), c.plan && `${label('enum.kind', c.plan.kind)} · ${formatMoney(c.plan.amount, currency)} · ${label('planStatus', c.plan.status)}`],
      [t('amounts.booking'), c.booking && `${formatDate(c.booking.departureDate)} · ${label('bookingStatus', c.booking.status)}`],
    ]),
  );
}

export function deadlinesPanel(c) {
  const now = Date.now();
  const due = [
    ...(c.deadlines ?? []).map((d) => ({ what: label('stage', d.stage), dueAt: d.dueAt })),
    ...(c.checkpoints ?? []).filter((x) => !x.reportedAt).map((x) => ({ what: t('case.checkpoint', { offset: x.offset }), dueAt: x.dueAt })),
  ].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return panel(
    'deadlines-title',
    t('case.deadlines'),
    due.length === 0
      ? h('p', {}, t('case.noDeadlines'))
      : h('ul', { class: 'plain' }, due.map((d) => {
          const overdue = new Date(d.dueAt).getTime() < now;
          return h('li', { class: overdue ? 'overdue' : null }, `${d.what}: `, h('time', { datetime: d.dueAt }, formatDate(d.dueAt)), overdue ? h('strong', {}, ` (${t('case.overdue')})`) : null);
        })),
  );
}

export function escalationsPanel(c) {
  // Open ones first: they are what needs attention.
  const list = [...(c.escalations ?? [])].sort((a, b) => Number(Boolean(a.resolvedAt)) - Number(Boolean(b.resolvedAt)));
  return panel(
    'escalations-title',
    t('case.escalations'),
    list.length === 0
      ? h('p', {}, t('case.noEscalations'))
      : h('ul', { class: 'plain' }, list.map((e) =>
          h(
            'li',
            { class: e.resolvedAt ? 'resolved' : 'escalation' },
            e.resolvedAt ? '' : '⚠ ',
            `${label('escalation', e.reason)} · ${label('stage', e.stage)} · ${formatDate(e.raisedAt)}`,
            e.resolvedAt ? ` · ${t('case.resolved', { date: formatDate(e.resolvedAt) })}` : '',
          ))),
  );
}

/** Only present when the server sent `personal` (roles with case.read_personal). */
export function householdPanel(personal) {
  if (!personal) return null;
  const members = personal.household?.members ?? [];
  return panel(
    'household-title',
    t('case.peopleTitle'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'people' },
        h('caption', { class: 'visually-hidden' }, t('case.peopleCaption')),
        h('thead', {}, h('tr', {}, ['name', 'relationship', 'dateOfBirth'].map((k) => h('th', { scope: 'col' }, t(`people.${k}`))))),
        h('tbody', {}, members.map((m) => h(
          'tr',
          {},
          h('td', {}, `${m.givenName} ${m.familyName}`),
          h('td', {}, m.role === 'principal' ? t('people.principal') : label('enum.relationship', m.relationship)),
          h('td', {}, formatDate(m.dateOfBirth)),
        ))),
      ),
    ),
    facts([
      [t('field.legalStatus'), personal.legalStatus && label('enum.legalStatus', personal.legalStatus)],
      [t('field.vulnerabilities'), personal.vulnerabilities && (personal.vulnerabilities.length ? personal.vulnerabilities.map((v) => label('enum.vulnerability', v)).join(', ') : t('form.none'))],
      [t('field.medicalNeed'), personal.medicalNeed === undefined ? undefined : t(personal.medicalNeed ? 'form.yes' : 'form.no')],
    ]),
  );
}
