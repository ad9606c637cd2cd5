import type { TFunction } from 'i18next'
import type { DeliveryView } from '#db/queries/deliveries'

// How a delivery reads to a person (status page and receipt): status, channel, when, and a short
// line of evidence. Server-side, so times format once, in the reader's locale, without hydration.

export type DeliveryLine = {
  id: number
  officeName: string
  officeTitle: string
  status: string
  statusKey: DeliveryView['status']
  channel: string
  at: string
  atIso: string
  detail: string
}

export function formatTime(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale === 'es' ? 'es-US' : 'en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'America/New_York',
    timeZoneName: 'short',
  }).format(date)
}

function str(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : ''
}

export function describeDelivery(d: DeliveryView, t: TFunction, locale: string): DeliveryLine {
  const e = d.evidence
  const when = d.finishedAt ?? d.updatedAt
  let detail: string
  if (d.status === 'delivered' && d.channel === 'cwc') {
    detail = t('letters:evidence.cwcAccepted', {
      office: str(e.memberOffice),
      id: str(e.deliveryId),
    })
  } else if (d.status === 'delivered' && d.channel === 'email') {
    detail = t('letters:evidence.emailAccepted', {
      response: str(e.smtpResponse),
      messageId: str(e.messageId),
    })
  } else if (d.status === 'delivered' && d.channel === 'packet') {
    detail = t('letters:evidence.packetDelivered', { packet: d.packetId?.slice(0, 8) ?? '' })
  } else if (d.status === 'awaiting_hand_delivery') {
    detail = d.packetId
      ? t('letters:evidence.inPacket', { packet: d.packetId.slice(0, 8) })
      : t('letters:evidence.awaitingPacket')
  } else if (d.status === 'cancelled') {
    detail =
      e.reason === 'signature_deleted_in_review'
        ? t('letters:evidence.cancelledReview')
        : e.reason === 'not_confirmed'
          ? t('letters:evidence.cancelledNotConfirmed')
          : t('letters:evidence.cancelled')
  } else if (e.reason === 'vacant seat' && (d.status === 'queued' || d.status === 'failed')) {
    // ADR 0905: a vacant seat's letter waits for its next holder, up to DELIVERY_GIVE_UP_HOURS
    detail = t(`letters:evidence.${d.status === 'failed' ? 'vacantSeatGaveUp' : 'vacantSeat'}`)
  } else if (d.status === 'failed') {
    detail = t('letters:evidence.failed', { reason: d.lastError ?? '' })
  } else if (e.heldInLocalOutbox) {
    detail = t('letters:evidence.heldLocal')
  } else if (d.lastError) {
    detail = t('letters:evidence.retrying', { attempts: d.attempts, reason: d.lastError })
  } else {
    detail = t('letters:evidence.queued')
  }
  return {
    id: d.id,
    officeName: d.officeName,
    officeTitle: d.officeTitle,
    status: t(`letters:status.${d.status}`),
    statusKey: d.status,
    channel: t(`letters:channel.${d.channel}`),
    at: formatTime(when, locale),
    atIso: when.toISOString(),
    detail,
  }
}
