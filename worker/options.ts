// Worker options that come from the deployment rather than the code: which workflow code runs (the pre-built
// bundle or the sources), the Worker Deployment version, and the tracing interceptors.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { WorkerOptions } from '@temporalio/worker';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import { clientInterceptors, WORKFLOW_TRACING_MODULE, type Tracing } from '../common/tracing';

export interface WorkflowCode {
  options: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>;
  /** `bundle:<sha256 prefix>` or `source`: logged and exported as a metric label, so an operator sees what runs. */
  label: string;
}

/** A named bundle must exist: silently bundling the sources instead would hide a broken image. */
export function workflowCode(bundlePath: string | undefined, workflowsPath: string): WorkflowCode {
  if (!bundlePath) return { options: { workflowsPath }, label: 'source' };
  if (!fs.existsSync(bundlePath)) throw new Error(`workflow bundle ${bundlePath} does not exist (build it with npm run build)`);
  const sha = crypto.createHash('sha256').update(fs.readFileSync(bundlePath)).digest('hex');
  return { options: { workflowBundle: { codePath: bundlePath } }, label: `bundle:${sha.slice(0, 12)}` };
}

export interface DeploymentVersion {
  deploymentName: string;
  buildId: string;
}

/**
 * Worker Deployment versioning. Cases live 12–18 months, so they AUTO_UPGRADE to the current version at their
 * next workflow task (changes are made replay-safe with patched(), docs/workflow-changes.md); PINNED would keep
 * every old build running until its last case closed.
 */
export function deploymentOptions(version: DeploymentVersion | undefined): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  if (!version) return {};
  return { workerDeploymentOptions: { version, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' } };
}

/**
 * The workflow interceptors are in every bundle, traced or not, because they add yield points: switching them
 * on or off under running cases must not change how histories replay. The sink is therefore always registered;
 * with tracing off it drops the spans.
 */
export function tracingOptions(tracing: Tracing, fromSource: boolean): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  return {
    interceptors: {
      workflowModules: fromSource ? [WORKFLOW_TRACING_MODULE] : [],
      activity: tracing.enabled
        ? [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })]
        : [],
      // Activities that start or signal workflows (webhook fan-out) carry the trace on.
      client: clientInterceptors(tracing),
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
