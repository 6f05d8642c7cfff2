import { Await, defer, useLoaderData } from '@paretojs/core'
import { ItemList, LOADING, slowItems, type Item } from '../components'

export function loader() {
  return defer({ items: slowItems(200) })
}

export default function StreamPage() {
  const { items } = useLoaderData<{ items: Promise<Item[]> }>()
  return (
    <section>
      <h1>Stream</h1>
      <Await resolve={items} fallback={LOADING}>
        {(items: Item[]) => <ItemList items={items} />}
      </Await>
    </section>
  )
}
