// Custom search attributes of a case: defined once, used by the workflow, the dev server and docker-compose.
// They carry no personal data: only codes, IDs and counts.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseStage = defineSearchAttributeKey('CaseStage', SearchAttributeType.KEYWORD);
export const ProgrammeId = defineSearchAttributeKey('ProgrammeId', SearchAttributeType.KEYWORD);
export const CountryOfReturn = defineSearchAttributeKey('CountryOfReturn', SearchAttributeType.KEYWORD);
export const Office = defineSearchAttributeKey('Office', SearchAttributeType.KEYWORD);
export const Assignee = defineSearchAttributeKey('Assignee', SearchAttributeType.KEYWORD);
export const PartnerIds = defineSearchAttributeKey('PartnerIds', SearchAttributeType.KEYWORD_LIST);
export const OpenEscalations = defineSearchAttributeKey('OpenEscalations', SearchAttributeType.INT);

export const SEARCH_ATTRIBUTES = [CaseStage, ProgrammeId, CountryOfReturn, Office, Assignee, PartnerIds, OpenEscalations];

/** The `--search-attribute Name=Type` values the Temporal CLI takes. */
export function searchAttributeFlags(): string[] {
  const cliType: Record<string, string> = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', INT: 'Int' };
  return SEARCH_ATTRIBUTES.map((k) => `${k.name}=${cliType[k.type]}`);
}
