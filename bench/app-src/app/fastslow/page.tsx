// Shell budget page: one value settles well within the budget (5 ms), one well after it (200 ms).
import { Await, defer, useLoaderData } from '@paretojs/core'
import { FAST_LOADING, ItemList, SLOW_LOADING, slowItems, type Item } from '../components'

export function loader() {
  return defer({ fast: slowItems(5, 6000), slow: slowItems(200, 7000) })
}

export default function FastSlowPage() {
  const { fast, slow } = useLoaderData<{ fast: Promise<Item[]>; slow: Promise<Item[]> }>()
  return (
    <section>
      <h1>Fast and slow</h1>
      <Await resolve={fast} fallback={FAST_LOADING}>
        {(items: Item[]) => <ItemList items={items} />}
      </Await>
      <Await resolve={slow} fallback={SLOW_LOADING}>
        {(items: Item[]) => <ItemList items={items} />}
      </Await>
    </section>
  )
}
