import type { Address, AddressInput } from '../api/types';
import { orEmpty, orNull } from '../text';
import { TextField } from './fields';

export interface AddressDraft {
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  countryCode: string;
}

export const EMPTY_ADDRESS: AddressDraft = { line1: '', line2: '', postalCode: '', city: '', countryCode: 'NO' };

export function addressToDraft(address: Address | null | undefined): AddressDraft {
  if (!address) return EMPTY_ADDRESS;
  return {
    line1: orEmpty(address.line1),
    line2: orEmpty(address.line2),
    postalCode: orEmpty(address.postalCode),
    city: orEmpty(address.city),
    countryCode: address.countryCode,
  };
}

export function draftToAddress(draft: AddressDraft): AddressInput {
  return {
    line1: orNull(draft.line1),
    line2: orNull(draft.line2),
    postalCode: orNull(draft.postalCode),
    city: orNull(draft.city),
    countryCode: draft.countryCode.trim().toUpperCase() || 'NO',
  };
}

export interface AddressLabels {
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  countryCode: string;
  countryHint?: string;
}

export function addressPaths(prefix: string): string[] {
  return ['line1', 'line2', 'postalCode', 'city', 'countryCode'].map((part) => `${prefix}.${part}`);
}

/** The five address fields; errors come from `error(path)` with `prefix.field` paths. */
export function AddressFields({
  value,
  onChange,
  labels,
  prefix,
  error,
  disabled,
}: {
  value: AddressDraft;
  onChange(next: AddressDraft): void;
  labels: AddressLabels;
  prefix: string;
  error(path: string): string | undefined;
  disabled?: boolean;
}) {
  const set = (part: keyof AddressDraft) => (text: string) => onChange({ ...value, [part]: text });
  const section = prefix.includes('delivery') ? 'shipping' : 'billing';
  return (
    <>
      <TextField label={labels.line1} value={value.line1} onChange={set('line1')} error={error(`${prefix}.line1`)} autoComplete={`${section} address-line1`} disabled={disabled} />
      <TextField label={labels.line2} value={value.line2} onChange={set('line2')} error={error(`${prefix}.line2`)} autoComplete={`${section} address-line2`} disabled={disabled} />
      <div className="grid grid--address">
        <TextField label={labels.postalCode} value={value.postalCode} onChange={set('postalCode')} error={error(`${prefix}.postalCode`)} autoComplete={`${section} postal-code`} inputMode="numeric" disabled={disabled} />
        <TextField label={labels.city} value={value.city} onChange={set('city')} error={error(`${prefix}.city`)} autoComplete={`${section} address-level2`} disabled={disabled} />
        <TextField
          label={labels.countryCode}
          value={value.countryCode}
          onChange={(text) => onChange({ ...value, countryCode: text.toUpperCase() })}
          error={error(`${prefix}.countryCode`)}
          hint={labels.countryHint}
          maxLength={2}
          autoComplete={`${section} country`}
          disabled={disabled}
        />
      </div>
    </>
  );
}
