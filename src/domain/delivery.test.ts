import { describe, expect, it } from 'vitest';
import { defaultDeliveryChannel, deliveryKeyFor } from './delivery.js';

describe('defaultDeliveryChannel', () => {
  it.each([
    [{ deliveryChannel: null, peppolId: null }, 'email'],
    [{ deliveryChannel: null, peppolId: '   ' }, 'email'],
    [{ deliveryChannel: null, peppolId: '0192:974760673' }, 'ehf'],
    [{ deliveryChannel: 'email', peppolId: '0192:974760673' }, 'email'],
    [{ deliveryChannel: 'ehf', peppolId: null }, 'ehf'],
  ] as const)('%o → %s', (customer, expected) => {
    expect(defaultDeliveryChannel(customer)).toBe(expected);
  });
});

describe('deliveryKeyFor', () => {
  it('names document, channel and sequence', () => {
    expect(deliveryKeyFor('inv-1', 'ehf', 2)).toBe('inv-1:ehf:2');
  });
});
