// Temporal histories as JSON files, in the format `temporal workflow show --output json` and the SDK's
// historyToJSON write. Those SDK helpers (1.24) throw "type must be a Type" whenever npm gives
// @temporalio/common and @temporalio/proto separate copies of protobufjs, as it does beside grpc's
// protobufjs 7; converting with the copy that @temporalio/proto itself loads works in any layout.
import type { Payload } from '@temporalio/common';
import fs from 'node:fs';
import path from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import type { History } from '@temporalio/common/lib/proto-utils';

/** The committed fixture histories of the case's main paths (scripts/record-histories.ts writes them). */
export const FIXTURE_HISTORIES_DIR = path.resolve(__dirname, '..', 'test', 'fixtures', 'histories');

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): History;
}

let loaded: { protojson: ProtoJson; historyType: unknown } | undefined;

function codec() {
  if (!loaded) {
    const fromProto = { paths: [path.dirname(require.resolve('@temporalio/proto'))] };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the copy is only known at run time
    const protojson = require(require.resolve('protobufjs/ext/protojson', fromProto)) as ProtoJson;
    const root = patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown };
    loaded = { protojson, historyType: root.lookupType('temporal.api.history.v1.History') };
  }
  return loaded;
}

export function historyToJson(history: History): string {
  const { protojson, historyType } = codec();
  return JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2);
}

/** Parses a history file; fields unknown to this SDK (a newer server) are ignored, as the SDK does. */
export function historyFromJson(json: unknown): History {
  const { protojson, historyType } = codec();
  return protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
}

/** Every `*.json` history in a folder, named by its file (without .json) as the workflow ID. */
export function readHistoryFiles(dir: string): { workflowId: string; history: History }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ workflowId: f.slice(0, -'.json'.length), history: historyFromJson(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) }));
}

/** Replaces every payload in a history by its decoded form; payloads are the objects with metadata and data. */
export async function decodePayloads(node: unknown, decode: (p: Payload) => Promise<Payload>): Promise<unknown> {
  if (Array.isArray(node)) return Promise.all(node.map((n) => decodePayloads(n, decode)));
  if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) return node;
  const obj = node as Record<string, unknown>;
  if (obj.metadata && typeof obj.metadata === 'object' && 'data' in obj) return decode(obj as Payload);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = await decodePayloads(v, decode);
  return out;
}
