import type { HeadProps } from '@paretojs/core'
import type { OrderDetail } from '../../../lib/types'

export default function Head({ loaderData, params }: HeadProps) {
  const order = (loaderData as { order?: OrderDetail } | undefined)?.order
  const title = order ? `Order #${order.id}` : `Order ${params.id ?? ''}`
  return (
    <>
      <title>{`${title} — Pareto Shop`}</title>
      {order ? (
        <meta name="description" content={`Order #${order.id} by ${order.customer}: items and tracking.`} />
      ) : null}
    </>
  )
}
