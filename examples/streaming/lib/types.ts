// Shapes shared by the server queries and the components (safe in the browser: no server imports).

export type OrderStatus = 'pending' | 'paid' | 'shipped' | 'delivered' | 'refunded'

export const ORDER_STATUSES: readonly OrderStatus[] = ['pending', 'paid', 'shipped', 'delivered', 'refunded']

export interface OrderRow {
  id: number
  customer: string
  status: OrderStatus
  /** A real Date: Pareto keeps the type across the wire. */
  createdAt: Date
  totalCents: number
}

export interface DailyRevenue {
  day: string
  revenueCents: number
  orders: number
}

export interface TopProduct {
  name: string
  category: string
  unitsSold: number
  revenueCents: number
}

export interface OrderDetail extends OrderRow {
  email: string
  city: string
}

export interface OrderLine {
  product: string
  category: string
  quantity: number
  unitPriceCents: number
}

export interface Shipment {
  carrier: string
  trackingNumber: string
  events: { at: Date; where: string; what: string }[]
}

/** An item of the team's to-do list (app/tasks). */
export interface Task {
  id: number
  title: string
  done: boolean
  createdBy: string
  createdAt: Date
}

/** Who is signed in, as the root layout's loader shows it. */
export interface User {
  name: string
}
