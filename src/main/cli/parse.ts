// Typed readers for option values, turning bad values into usage errors (exit 2).
import { UsageError, type ParsedValues } from './command';
import { LORA_RANGES, RUN_OPTION_FLAGS as F } from '../../shared/catalogue';
import type { LoraSpec } from '../../shared/types/runs';
import { QueueUrlError, parseQueueUrl, type QueueLocation } from '../lab/queue/redisUrl';

export function stringOption(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function numberOption(
  values: ParsedValues,
  name: string,
  usage: string,
  rules: { integer?: boolean; min?: number; exclusiveMin?: boolean; max?: number; exclusiveMax?: boolean } = {},
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const bad =
    typeof raw !== 'string' ||
    raw.trim() === '' ||
    !Number.isFinite(n) ||
    (rules.integer && !Number.isSafeInteger(n)) ||
    (rules.min !== undefined && (rules.exclusiveMin ? n <= rules.min : n < rules.min)) ||
    (rules.max !== undefined && (rules.exclusiveMax ? n >= rules.max : n > rules.max));
  if (bad) {
    const range = [rules.integer ? 'a whole number' : 'a number', rules.min !== undefined ? `${rules.exclusiveMin ? '>' : '>='} ${rules.min}` : '', rules.max !== undefined ? `${rules.exclusiveMax ? '<' : '<='} ${rules.max}` : '']
      .filter(Boolean)
      .join(' ');
    throw new UsageError(`--${name} must be ${range}, got ${JSON.stringify(raw)}`, usage);
  }
  return n;
}

/** A flag that takes one of a few words; undefined when it is not given. */
export function choiceOption<T extends string>(
  values: ParsedValues,
  name: string,
  allowed: readonly T[],
  usage: string,
): T | undefined {
  const v = stringOption(values, name);
  if (v !== undefined && !(allowed as readonly string[]).includes(v))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got "${v}"`, usage);
  return v as T | undefined;
}

/** The usage error of a flag the command cannot do without: `stringOption(...) || missing(...)`. */
export function missing(name: string, usage: string): never {
  throw new UsageError(`--${name} is required`, usage);
}

/** --version V: a committed version number (1, 2, ...); undefined when it is not given. */
export function versionOption(values: ParsedValues, usage: string): number | undefined {
  const value = values.version;
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--version must be a version number (1, 2, ...), got ${String(value)}`, usage);
  return n;
}

/** --queue URL (with --tls, --tls-ca FILE): the parsed location, or undefined when not given; bad URLs are usage errors. */
export function queueOption(values: ParsedValues, usage: string): QueueLocation | undefined {
  const url = stringOption(values, 'queue');
  const tlsCa = stringOption(values, 'tls-ca') ?? null;
  if (url === undefined) {
    if (values.tls === true || tlsCa !== null) throw new UsageError('--tls and --tls-ca go with --queue', usage);
    return undefined;
  }
  try {
    return parseQueueUrl(url, { tls: values.tls === true, tlsCa });
  } catch (err) {
    if (err instanceof QueueUrlError) throw new UsageError(`--queue: ${err.message}`, usage);
    throw err;
  }
}

/**
 * --lora-rank, --lora-alpha, --lora-dropout and --lora-targets of a pretrained student, checked
 * against the catalogue's ranges (docs/methods.md, "Method options"); undefined without --lora-rank.
 */
export function loraOption(values: ParsedValues, usage: string): LoraSpec | undefined {
  const rank = numberOption(values, F.loraRank.flag, usage, LORA_RANGES.rank);
  const alpha = numberOption(values, F.loraAlpha.flag, usage, LORA_RANGES.alpha);
  const dropout = numberOption(values, F.loraDropout.flag, usage, LORA_RANGES.dropout);
  const targets = stringOption(values, F.loraTargets.flag);
  if (rank === undefined) {
    const orphan = [F.loraAlpha, F.loraDropout, F.loraTargets].find((o) => values[o.flag] !== undefined);
    if (orphan) throw new UsageError(`--${orphan.flag} needs --${F.loraRank.flag}`, usage);
    return undefined;
  }
  return {
    rank,
    ...(alpha !== undefined ? { alpha } : {}),
    ...(dropout !== undefined ? { dropout } : {}),
    ...(targets ? { targets: targets.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
  };
}
