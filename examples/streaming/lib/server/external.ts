// Stand-ins for third-party HTTP APIs (simulated: the example makes no outgoing requests).
import type { OrderDetail, Shipment } from '../types'
import { latency } from './latency'

/** A failed upstream call. Not marked `expose`, so in production the browser sees a generic message and a digest. */
class ServiceError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'ServiceError'
  }
}

/**
 * The "recommendations" service is down: it answers 503 after a short wait. The dashboard renders it inside
 * its own ParetoErrorBoundary, so only that card shows an error and the rest of the page stays.
 */
export async function fetchRecommendations(signal?: AbortSignal): Promise<string[]> {
  await latency(300, signal)
  throw new ServiceError('recommendations.internal responded 503 Service Unavailable', 503)
}

/** The carrier's tracking API: deterministic events derived from the order, after a slow round trip. */
export async function fetchShipment(order: OrderDetail, signal?: AbortSignal): Promise<Shipment | null> {
  await latency(900, signal)
  if (order.status === 'pending' || order.status === 'paid') return null
  const day = 86_400_000
  const at = (n: number) => new Date(order.createdAt.getTime() + n * day)
  const events = [
    { at: at(1), where: 'Fulfilment centre, Leipzig', what: 'Picked up by carrier' },
    { at: at(2), where: `Hub near ${order.city}`, what: 'Arrived at sorting hub' },
  ]
  if (order.status === 'delivered' || order.status === 'refunded')
    events.push({ at: at(3), where: order.city, what: 'Delivered' })
  return { carrier: 'ParcelCo', trackingNumber: `PC${String(order.id).padStart(8, '0')}DE`, events: events.reverse() }
}
