// The workflow bundle's entry point: every workflow type the worker runs.
export { caseWorkflow } from './case/workflow';
export { cooperationWorkflow } from './cooperation/workflow';
export { webhookDeliveryWorkflow } from './webhooks/delivery';
