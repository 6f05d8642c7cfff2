// Simulated back ends with different speeds, so the page shows streaming at work.
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface Row {
  id: number
  name: string
  amount: number
  updated: Date
}

export async function fetchFromDatabase(): Promise<Row[]> {
  await wait(600)
  return Array.from({ length: 8 }, (_, i) => ({ id: i + 1, name: `Order #${1000 + i}`, amount: (i + 1) * 12.5, updated: new Date(Date.UTC(2026, 10, 20 + (i % 5))) }))
}

export async function fetchFromExternalAPI(): Promise<{ label: string; value: number }[]> {
  await wait(1200)
  return ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].map((label, i) => ({ label, value: [12, 19, 7, 23, 15][i] }))
}

export async function fetchFlakyService(): Promise<string[]> {
  await wait(400)
  throw new Error('The recommendations service is down')
}
