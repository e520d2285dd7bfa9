// The event types a partner endpoint can subscribe to: a return case's and a cooperation project's.
import { z } from 'zod';
import { EVENT_TYPES, STAGES } from '../../workflows/domain/vocabulary';
import { PROJECT_EVENT_TYPES, PROJECT_STAGES } from '../../workflows/cooperation/domain/vocabulary';

export const WebhookEventType = z.enum([...EVENT_TYPES, ...PROJECT_EVENT_TYPES]);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

export const WebhookStage = z.enum([...STAGES, ...PROJECT_STAGES]);
