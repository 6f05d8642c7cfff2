// The example's database: SQLite through better-sqlite3, created and seeded by the app itself on first use.
// Server-only: imported by loaders, resource routes and app.ts, never by a component.
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

/** Bump when the schema or the seed changes: a database file of another version is rebuilt from scratch. */
const SCHEMA_VERSION = 2

/**
 * `DATABASE_PATH` (a file, or `:memory:`), else `data/shop.sqlite` in the directory the server runs in
 * (`pareto dev` / `pareto start` run in the project root; the folder is git-ignored).
 */
export const DATABASE_PATH = process.env.DATABASE_PATH ?? resolve(process.cwd(), 'data/shop.sqlite')

let db: Database.Database | undefined

/** The process's one connection, opened (and the database created and seeded if needed) on first call. */
export function getDb(): Database.Database {
  if (!db) db = open(DATABASE_PATH)
  return db
}

function open(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const conn = new Database(path, { timeout: 5000 })
  conn.pragma('journal_mode = WAL')
  conn.pragma('foreign_keys = ON')
  // IMMEDIATE takes the write lock before reading the version, so two processes starting on the same
  // file at once (a dev server and a test run, or several workers) seed it once, never twice.
  conn
    .transaction(() => {
      const version = conn.pragma('user_version', { simple: true }) as number
      if (version === SCHEMA_VERSION) return
      migrate(conn)
      seed(conn)
      conn.pragma(`user_version = ${SCHEMA_VERSION}`)
    })
    .immediate()
  return conn
}

function migrate(conn: Database.Database): void {
  conn.exec(`
    DROP TABLE IF EXISTS tasks;
    DROP TABLE IF EXISTS sessions;
    DROP TABLE IF EXISTS order_items;
    DROP TABLE IF EXISTS orders;
    DROP TABLE IF EXISTS products;
    DROP TABLE IF EXISTS customers;
    CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, city TEXT NOT NULL);
    CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL, price_cents INTEGER NOT NULL);
    CREATE TABLE orders (
      id INTEGER PRIMARY KEY,
      customer_id INTEGER NOT NULL REFERENCES customers(id),
      status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'refunded')),
      created_at TEXT NOT NULL,
      total_cents INTEGER NOT NULL
    );
    CREATE TABLE order_items (
      id INTEGER PRIMARY KEY,
      order_id INTEGER NOT NULL REFERENCES orders(id),
      product_id INTEGER NOT NULL REFERENCES products(id),
      quantity INTEGER NOT NULL,
      unit_price_cents INTEGER NOT NULL
    );
    -- The team's to-do list (app/tasks) and who is signed in (lib/server/session.ts): the tables the app writes to.
    CREATE TABLE tasks (
      id INTEGER PRIMARY KEY,
      title TEXT NOT NULL,
      done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (id TEXT PRIMARY KEY, name TEXT NOT NULL, expires_at TEXT NOT NULL);
    CREATE INDEX orders_created_at ON orders(created_at);
    CREATE INDEX orders_status ON orders(status);
    CREATE INDEX order_items_order ON order_items(order_id);
  `)
}

/** Numbers of the seed, exported so the UI and the tests agree on what is in the database. */
export const SEED = {
  customers: 60,
  products: 24,
  orders: 4000,
  firstOrderId: 1001,
  lastDay: '2026-03-31',
  tasks: 3,
} as const

/** A small deterministic PRNG (mulberry32): every fresh database holds the same rows. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function seed(conn: Database.Database): void {
  const rnd = random(20260331)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]
  const first = [
    'Ada',
    'Grace',
    'Alan',
    'Edsger',
    'Barbara',
    'Ken',
    'Margaret',
    'Linus',
    'Radia',
    'Donald',
    'Frances',
    'John',
  ]
  const last = [
    'Lovelace',
    'Hopper',
    'Turing',
    'Dijkstra',
    'Liskov',
    'Thompson',
    'Hamilton',
    'Torvalds',
    'Perlman',
    'Knuth',
  ]
  const cities = ['Lisbon', 'Berlin', 'Osaka', 'Toronto', 'Nairobi', 'Lima', 'Oslo', 'Austin']
  const insertCustomer = conn.prepare('INSERT INTO customers (id, name, email, city) VALUES (?, ?, ?, ?)')
  for (let id = 1; id <= SEED.customers; id++) {
    const name = `${pick(first)} ${pick(last)}`
    insertCustomer.run(id, name, `${name.toLowerCase().replace(' ', '.')}.${id}@example.com`, pick(cities))
  }
  const catalog: [string, string][] = [
    ['Mechanical keyboard', 'Peripherals'],
    ['Vertical mouse', 'Peripherals'],
    ['USB-C dock', 'Peripherals'],
    ['Webcam', 'Peripherals'],
    ['27" monitor', 'Displays'],
    ['34" ultrawide', 'Displays'],
    ['Portable monitor', 'Displays'],
    ['Monitor arm', 'Displays'],
    ['Noise-cancelling headphones', 'Audio'],
    ['USB microphone', 'Audio'],
    ['Desk speakers', 'Audio'],
    ['Earbuds', 'Audio'],
    ['Standing desk', 'Furniture'],
    ['Ergonomic chair', 'Furniture'],
    ['Footrest', 'Furniture'],
    ['Desk lamp', 'Furniture'],
    ['SSD 2 TB', 'Storage'],
    ['NAS enclosure', 'Storage'],
    ['SD card', 'Storage'],
    ['External HDD', 'Storage'],
    ['Cable kit', 'Accessories'],
    ['Laptop stand', 'Accessories'],
    ['Desk mat', 'Accessories'],
    ['Charger 100 W', 'Accessories'],
  ]
  const insertProduct = conn.prepare('INSERT INTO products (id, name, category, price_cents) VALUES (?, ?, ?, ?)')
  const prices = catalog.map(() => 990 + Math.floor(rnd() * 60) * 1000)
  catalog.forEach(([name, category], i) => insertProduct.run(i + 1, name, category, prices[i]))

  const insertOrder = conn.prepare(
    'INSERT INTO orders (id, customer_id, status, created_at, total_cents) VALUES (?, ?, ?, ?, ?)',
  )
  const insertItem = conn.prepare(
    'INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?)',
  )
  const statuses = ['pending', 'paid', 'shipped', 'shipped', 'delivered', 'delivered', 'delivered', 'refunded'] as const
  const end = Date.parse(`${SEED.lastDay}T23:59:59Z`)
  const span = 90 * 86_400_000
  // Ids follow creation time, so the newest order has the highest id.
  const times = Array.from({ length: SEED.orders }, () => end - Math.floor(rnd() * span)).sort((a, b) => a - b)
  times.forEach((t, i) => {
    const id = SEED.firstOrderId + i
    const lines = 1 + Math.floor(rnd() * 4)
    let total = 0
    const items: [number, number, number][] = []
    for (let l = 0; l < lines; l++) {
      const product = 1 + Math.floor(rnd() * catalog.length)
      const quantity = 1 + Math.floor(rnd() * 3)
      items.push([product, quantity, prices[product - 1]])
      total += quantity * prices[product - 1]
    }
    // The newest orders are the ones still in progress.
    const status = i >= SEED.orders - 12 ? pick(['pending', 'paid'] as const) : pick(statuses)
    insertOrder.run(id, 1 + Math.floor(rnd() * SEED.customers), status, new Date(t).toISOString(), total)
    for (const [product, quantity, price] of items) insertItem.run(id, product, quantity, price)
  })

  const insertTask = conn.prepare('INSERT INTO tasks (title, done, created_by, created_at) VALUES (?, ?, ?, ?)')
  const tasks: [string, number][] = [
    ['Restock USB-C docks', 0],
    ['Answer the refund request on the newest order', 0],
    ['Photograph the new desk lamps', 1],
  ]
  tasks.forEach(([title, done], i) =>
    insertTask.run(title, done, 'Ada', `${SEED.lastDay}T${String(8 + i).padStart(2, '0')}:00:00.000Z`),
  )
}
