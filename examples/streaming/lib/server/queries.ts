// Every query the pages run, against the example's SQLite database (lib/server/db.ts); sign-in's are in session.ts.
// better-sqlite3 is synchronous: the fast ones run in the loader itself and land in the first HTML;
// the deferred ones wait for their (artificial, see latency.ts) network time first, then query, so the
// stream carries them as they settle.
import { getDb, SEED } from './db'
import { latency } from './latency'
import type { DailyRevenue, OrderDetail, OrderLine, OrderRow, OrderStatus, Task, TopProduct } from '../types'

interface RawOrder {
  id: number
  customer: string
  status: OrderStatus
  created_at: string
  total_cents: number
}

const toRow = (r: RawOrder): OrderRow => ({
  id: r.id,
  customer: r.customer,
  status: r.status,
  createdAt: new Date(r.created_at),
  totalCents: r.total_cents,
})

/** Fast: counts from indexes, for the dashboard's first paint. */
export function getTotals(): { orders: number; customers: number; openOrders: number } {
  const db = getDb()
  return {
    orders: (db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n,
    customers: (db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n,
    openOrders: (
      db.prepare("SELECT count(*) AS n FROM orders WHERE status IN ('pending', 'paid')").get() as { n: number }
    ).n,
  }
}

/** The newest orders with their customer (a join), streamed. */
export async function getRecentOrders(limit: number, signal?: AbortSignal): Promise<OrderRow[]> {
  await latency(600, signal)
  const rows = getDb()
    .prepare(
      `SELECT o.id, c.name AS customer, o.status, o.created_at, o.total_cents
       FROM orders o JOIN customers c ON c.id = o.customer_id
       ORDER BY o.created_at DESC LIMIT ?`,
    )
    .all(limit) as RawOrder[]
  return rows.map(toRow)
}

/** Revenue per day over the last `days` days of data (an aggregate over every order), streamed later. */
export async function getDailyRevenue(days: number, signal?: AbortSignal): Promise<DailyRevenue[]> {
  await latency(1100, signal)
  return getDb()
    .prepare(
      `SELECT substr(created_at, 1, 10) AS day, sum(total_cents) AS revenueCents, count(*) AS orders
       FROM orders
       WHERE status != 'refunded' AND created_at >= date(?, '-' || ? || ' days')
       GROUP BY day ORDER BY day`,
    )
    .all(SEED.lastDay, days - 1) as DailyRevenue[]
}

/** Best sellers: a join over every order line, grouped and ranked. */
export async function getTopProducts(limit: number, signal?: AbortSignal): Promise<TopProduct[]> {
  await latency(800, signal)
  return getDb()
    .prepare(
      `SELECT p.name, p.category, sum(i.quantity) AS unitsSold, sum(i.quantity * i.unit_price_cents) AS revenueCents
       FROM order_items i JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id
       WHERE o.status != 'refunded'
       GROUP BY p.id ORDER BY revenueCents DESC LIMIT ?`,
    )
    .all(limit) as TopProduct[]
}

/** Fast: how many orders match a filter, for the list's heading. */
export function countOrders(status: OrderStatus | undefined): number {
  const db = getDb()
  const row = status
    ? db.prepare('SELECT count(*) AS n FROM orders WHERE status = ?').get(status)
    : db.prepare('SELECT count(*) AS n FROM orders').get()
  return (row as { n: number }).n
}

/** One page of orders, newest first, optionally filtered by status, streamed. */
export async function listOrders(
  opts: { status?: OrderStatus; page: number; perPage: number },
  signal?: AbortSignal,
): Promise<OrderRow[]> {
  await latency(500, signal)
  const where = opts.status ? 'WHERE o.status = @status' : ''
  const rows = getDb()
    .prepare(
      `SELECT o.id, c.name AS customer, o.status, o.created_at, o.total_cents
       FROM orders o JOIN customers c ON c.id = o.customer_id ${where}
       ORDER BY o.created_at DESC LIMIT @limit OFFSET @offset`,
    )
    .all({ status: opts.status, limit: opts.perPage, offset: (opts.page - 1) * opts.perPage }) as RawOrder[]
  return rows.map(toRow)
}

/** Fast: one order by primary key, for the detail page's shell (or undefined: the page answers 404). */
export function getOrder(id: number): OrderDetail | undefined {
  const row = getDb()
    .prepare(
      `SELECT o.id, c.name AS customer, c.email, c.city, o.status, o.created_at, o.total_cents
       FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ?`,
    )
    .get(id) as (RawOrder & { email: string; city: string }) | undefined
  return row && { ...toRow(row), email: row.email, city: row.city }
}

/** The order's lines, streamed. */
export async function getOrderLines(id: number, signal?: AbortSignal): Promise<OrderLine[]> {
  await latency(400, signal)
  return getDb()
    .prepare(
      `SELECT p.name AS product, p.category, i.quantity, i.unit_price_cents AS unitPriceCents
       FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = ? ORDER BY i.id`,
    )
    .all(id) as OrderLine[]
}

interface RawTask {
  id: number
  title: string
  done: 0 | 1
  created_by: string
  created_at: string
}

/** Fast: the team's tasks, open ones first, newest first within each. */
export function listTasks(): Task[] {
  const rows = getDb()
    .prepare('SELECT id, title, done, created_by, created_at FROM tasks ORDER BY done, id DESC')
    .all() as RawTask[]
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    done: r.done === 1,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
  }))
}

/** Fast: how many tasks are still open, for the header's badge. */
export function countOpenTasks(): number {
  return (getDb().prepare('SELECT count(*) AS n FROM tasks WHERE done = 0').get() as { n: number }).n
}

/** Writes a new open task. */
export function addTask(title: string, createdBy: string): void {
  getDb()
    .prepare('INSERT INTO tasks (title, done, created_by, created_at) VALUES (?, 0, ?, ?)')
    .run(title, createdBy, new Date().toISOString())
}

/** Marks a task done or open (a state, not a flip: sending the same request twice changes nothing more). */
export function setTaskDone(id: number, done: boolean): boolean {
  return (
    getDb()
      .prepare('UPDATE tasks SET done = ? WHERE id = ?')
      .run(done ? 1 : 0, id).changes === 1
  )
}
