import { describe, expect, it } from 'vitest';
import { answersMatch, extractAnswer, normalizeAnswer } from '../../src/shared/answers';
import { splitSteps } from '../../src/shared/steps';

describe('answer normalisation', () => {
  it('normalises numbers by stripping $ , and trailing dots', () => {
    expect(normalizeAnswer('number', ' $1,234.50. ')).toBe('1234.5');
    expect(normalizeAnswer('number', '-3')).toBe('-3');
    expect(normalizeAnswer('number', 'twelve')).toBeNull();
    expect(answersMatch('number', '0.3', '0.30000000001')).toBe(true);
    expect(answersMatch('number', '3', '3.5')).toBe(false);
  });
  it('maps choice letters and option text to the letter', () => {
    const choices = ['red', 'green', 'blue'];
    expect(normalizeAnswer('choice', '(b)', choices)).toBe('B');
    expect(normalizeAnswer('choice', 'Blue', choices)).toBe('C');
    expect(normalizeAnswer('choice', 'E', choices)).toBeNull();
  });
  it('handles yes/no and free text', () => {
    expect(normalizeAnswer('yesno', 'Yes.')).toBe('yes');
    expect(normalizeAnswer('yesno', 'maybe')).toBeNull();
    expect(normalizeAnswer('text', '  NkA ')).toBe('nka');
  });
  it('extracts answers from teacher text', () => {
    expect(extractAnswer('number', 'So the answer is $1,200.')).toBe('1200');
    expect(extractAnswer('choice', 'Therefore, among A through E, the answer is (C).', ['a', 'b', 'c'])).toBe('C');
    expect(extractAnswer('yesno', 'Thus the coin is still heads up. So the answer is yes.')).toBe('yes');
  });
});

describe('step splitting', () => {
  it('splits on lines and sentence ends but not decimals', () => {
    const r = 'He has 3.5 apples. He buys 2 more!\nSo 5.5 in total.';
    const steps = splitSteps(r).map((s) => r.slice(s.start, s.end));
    expect(steps).toEqual(['He has 3.5 apples.', 'He buys 2 more!', 'So 5.5 in total.']);
  });
});
