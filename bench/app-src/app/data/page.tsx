import { useLoaderData } from '@paretojs/core'
import { ItemList, queryItems, type Item } from '../components'

export async function loader() {
  return { items: await queryItems() }
}

export default function DataPage() {
  const { items } = useLoaderData<{ items: Item[] }>()
  return (
    <section>
      <h1>Data</h1>
      <ItemList items={items} />
    </section>
  )
}
