import { describe, expect, it } from 'vitest';
import { activity, frame } from '../../src/index';

describe('a built-in strategy given an id of its own is named with it', () => {
  it('two frames strict and loose are told apart; the default id keeps the plain name', () => {
    expect(frame({ id: 'strict' }).label).toBe('Frame (rammestyring): strict');
    expect(frame({ id: 'loose' }).label).toBe('Frame (rammestyring): loose');
    expect(frame().label).toBe('Frame (rammestyring)');
    expect(frame({ id: 'x', label: 'Mine' }).label).toBe('Mine');
    expect(activity({ id: 'a2' }).label).toBe('Activity (aktivitetsstyring): a2');
  });
});
