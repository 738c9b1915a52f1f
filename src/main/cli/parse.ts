// Typed readers for option values, turning bad values into usage errors (exit 2).
import { UsageError, type ParsedValues } from './command';
import { QueueUrlError, parseQueueUrl, type QueueLocation } from '../lab/queue/redisUrl';

export function stringOption(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function numberOption(
  values: ParsedValues,
  name: string,
  usage: string,
  rules: { integer?: boolean; min?: number; exclusiveMin?: boolean; max?: number } = {},
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
    (rules.max !== undefined && n > rules.max);
  if (bad) {
    const range = [rules.integer ? 'a whole number' : 'a number', rules.min !== undefined ? `${rules.exclusiveMin ? '>' : '>='} ${rules.min}` : '', rules.max !== undefined ? `<= ${rules.max}` : '']
      .filter(Boolean)
      .join(' ');
    throw new UsageError(`--${name} must be ${range}, got ${JSON.stringify(raw)}`, usage);
  }
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
