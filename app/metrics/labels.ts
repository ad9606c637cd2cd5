import type { TFunction } from 'i18next'

/** A state, a district ("CA-07", "WY at large") or "unknown", as the dashboards name places. */
export function placeLabel(t: TFunction, state: string, district: string): string {
  return !state
    ? t('admin:metrics.unknownPlace')
    : district === ''
      ? state
      : district === '0'
        ? t('admin:metrics.atLarge', { state })
        : `${state}-${district.padStart(2, '0')}`
}

/** A district row: a signature placed in a state but no district says so. */
export function districtLabel(t: TFunction, state: string, district: string): string {
  return state && !district
    ? t('admin:metrics.unknownDistrict', { state })
    : placeLabel(t, state, district)
}

export const FUNNEL_STEPS = [
  'views',
  'signatures',
  'confirmed',
  'letters',
  'delivered',
  'donations',
] as const
