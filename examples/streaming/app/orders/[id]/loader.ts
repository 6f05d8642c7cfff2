// This route's loader lives in its own file (Pareto's loader.ts convention): it never reaches the browser.
import { defer, notFound } from '@paretojs/core'
import type { LoaderContext } from '@paretojs/core'
import { getOrder, getOrderLines } from '../../../lib/server/queries'
import { fetchShipment } from '../../../lib/server/external'

export function loader({ params, signal }: LoaderContext<{ id: string }>) {
  const id = Number(params.id)
  const order = Number.isSafeInteger(id) ? getOrder(id) : undefined // by primary key: in the first HTML
  if (!order) notFound()
  return defer({
    order,
    lines: getOrderLines(order.id, signal), // streamed
    shipment: fetchShipment(order, signal), // the carrier's API, streamed later
  })
}
