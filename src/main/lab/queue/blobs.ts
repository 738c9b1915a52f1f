// Content-addressed inputs and checkpoints in Redis. Training data is stored once per content
// (gzip of its JSON, keyed by the SHA-256 of that JSON) and verified by the worker before use; a
// worker keeps a local cache by hash. Checkpoints are stored per job and kind as a Redis hash of
// relative path -> bytes plus the step, written in one MULTI so a reader never sees half of one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Redis } from 'ioredis';
import { checkpointKey, dataKey, type CheckpointKind } from './protocol';
import { writeFileAtomic } from '../fsAtomic';

export interface TrainingDataBlob<T> {
  train: T[];
  val: T[];
  test: T[];
}

export function sha256(bytes: Buffer | string): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Stores the data once (SET NX) and returns its hash. */
export async function putData<T>(redis: Redis, data: TrainingDataBlob<T>): Promise<string> {
  const json = Buffer.from(JSON.stringify(data));
  const hash = sha256(json);
  await redis.set(dataKey(hash), zlib.gzipSync(json), 'NX');
  return hash;
}

export class DataMismatchError extends Error {}

/** The data of a hash, from the worker's cache or Redis; refuses bytes whose hash differs. */
export async function getData<T>(redis: Redis, hash: string, cacheDir: string): Promise<TrainingDataBlob<T>> {
  const cached = path.join(cacheDir, `${hash}.json.gz`);
  let gz: Buffer | null = fs.existsSync(cached) ? fs.readFileSync(cached) : null;
  let fromCache = gz !== null;
  if (!gz) gz = await redis.getBuffer(dataKey(hash));
  if (!gz)
    throw new DataMismatchError(
      `the training data ${hash.slice(0, 12)} is not in the queue (the lab removed it or this is another lab's job)`,
    );
  let json: Buffer;
  try {
    json = zlib.gunzipSync(gz);
  } catch {
    json = Buffer.alloc(0);
  }
  const actual = sha256(json);
  if (actual !== hash) {
    if (fromCache) {
      fs.rmSync(cached, { force: true });
      fromCache = false;
      return getData(redis, hash, cacheDir);
    }
    throw new DataMismatchError(
      `the training data in the queue hashes to ${actual.slice(0, 12)}, not ${hash.slice(0, 12)} as the job says; not training on it`,
    );
  }
  if (!fromCache) writeFileAtomic(cached, gz);
  return JSON.parse(json.toString('utf8')) as TrainingDataBlob<T>;
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

/**
 * Reads a checkpoint directory (every file under it) at once: call it as soon as the run announces
 * the checkpoint, before the run can write the next one over it.
 */
export function readCheckpointFiles(dir: string): Map<string, Buffer> {
  return new Map(listFiles(dir).map((rel) => [rel, fs.readFileSync(path.join(dir, rel))]));
}

/** Stores a checkpoint's files as one Redis hash, replacing the previous one in one transaction. */
export async function putCheckpoint(
  redis: Redis,
  jobId: string,
  kind: CheckpointKind,
  files: Map<string, Buffer>,
  step: number,
): Promise<void> {
  const fields: (string | Buffer)[] = ['step', String(step)];
  for (const [rel, bytes] of files) fields.push(`file:${rel}`, bytes);
  await redis
    .multi()
    .del(checkpointKey(jobId, kind))
    .hset(checkpointKey(jobId, kind), ...fields)
    .exec();
}

/**
 * Writes the stored checkpoint of a job into `dir` (replacing what is there, via a sibling
 * temporary directory and a rename) and returns its step, or null when there is none.
 */
export async function getCheckpoint(
  redis: Redis,
  jobId: string,
  kind: CheckpointKind,
  dir: string,
): Promise<number | null> {
  const h = await redis.hgetallBuffer(checkpointKey(jobId, kind));
  const step = h.step ? Number(h.step.toString()) : null;
  if (step === null || !Number.isInteger(step)) return null;
  const tmp = `${dir}.incoming-${process.pid}-${Date.now()}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const [field, bytes] of Object.entries(h)) {
    if (!field.startsWith('file:')) continue;
    const rel = field.slice('file:'.length);
    if (rel.split('/').some((p) => p === '..' || p === '' || p === '.')) continue;
    const file = path.join(tmp, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
  }
  fs.mkdirSync(tmp, { recursive: true });
  const old = `${dir}.old-${process.pid}-${Date.now()}`;
  if (fs.existsSync(dir)) fs.renameSync(dir, old);
  fs.renameSync(tmp, dir);
  fs.rmSync(old, { recursive: true, force: true });
  return step;
}

export async function deleteCheckpoints(redis: Redis, jobId: string): Promise<void> {
  await redis.del(checkpointKey(jobId, 'last'), checkpointKey(jobId, 'best'), checkpointKey(jobId, 'self'));
}
