// Typed readers for option values, turning bad values into usage errors (exit 2).
import { UsageError, type ParsedValues } from './command';

export function stringOption(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function numberOption(
  values: ParsedValues,
  name: string,
  usage: string,
  rules: { integer?: boolean; min?: number; max?: number } = {},
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const bad =
    typeof raw !== 'string' ||
    raw.trim() === '' ||
    !Number.isFinite(n) ||
    (rules.integer && !Number.isSafeInteger(n)) ||
    (rules.min !== undefined && n < rules.min) ||
    (rules.max !== undefined && n > rules.max);
  if (bad) {
    const range = [rules.integer ? 'a whole number' : 'a number', rules.min !== undefined ? `>= ${rules.min}` : '', rules.max !== undefined ? `<= ${rules.max}` : '']
      .filter(Boolean)
      .join(' ');
    throw new UsageError(`--${name} must be ${range}, got ${JSON.stringify(raw)}`, usage);
  }
  return n;
}
