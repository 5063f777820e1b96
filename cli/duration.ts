/** Durations as operators type them (`30m`, `2h`, `1d`), read the way Temporal reads them. */
import { msToNumber } from '@temporalio/common';
import { z } from 'zod';

type DurationText = Parameters<typeof msToNumber>[0];

const toMs = (v: string): number => {
  try {
    return msToNumber(v as DurationText);
  } catch {
    return Number.NaN;
  }
};

/**
 * A duration with a unit, in milliseconds. A bare number is refused: msToNumber would read "30"
 * as 30 ms, which no operator means.
 */
export function durationMs(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?\s*[a-z]+$/i, 'expected a number and a unit, e.g. 30m, 2h, 1d')
    .transform(toMs)
    .refine((ms) => Number.isFinite(ms), 'expected a number and a unit, e.g. 30m, 2h, 1d')
    .refine((ms) => ms >= min && ms <= max, `must be between ${min / 1000} s and ${max / 86_400_000} d`);
}
